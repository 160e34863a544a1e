package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.MispAttributes;

class UnknownTypeTest {

    private static final String TYPO_1 = "0c9f5e7a-1111-4c2b-9e8f-1a2b3c4d5e01";
    private static final String TYPO_2 = "0c9f5e7a-1111-4c2b-9e8f-1a2b3c4d5e02";
    private static final String CUSTOM = "0c9f5e7a-1111-4c2b-9e8f-1a2b3c4d5e03";
    private static final String COMMENT = "0c9f5e7a-1111-4c2b-9e8f-1a2b3c4d5e04";
    private static final String TEXT = "0c9f5e7a-1111-4c2b-9e8f-1a2b3c4d5e05";

    @TempDir
    Path temp;

    @Test
    void typesMispDoesNotHaveAreNamedOncePerCycleWithTheirUuidsAndMispsOwnNonDetectionTypesAreOnlyCounted()
            throws Exception {
        try (SyncHarness h = SyncHarness.start(temp); LogCapture logs = LogCapture.start().level("org.mispsentinel", Level.INFO)) {
            h.dataset.add(MispAttributes.attribute("ip-dts", "198.51.100.7").uuid(TYPO_1).toIds(true).timestamp(Attributes.T0));
            h.dataset.add(MispAttributes.attribute("ip-dts", "198.51.100.8").uuid(TYPO_2).toIds(true).timestamp(Attributes.T0));
            h.dataset.add(MispAttributes.attribute("x-acme-ticket", "T-1").uuid(CUSTOM).toIds(true).timestamp(Attributes.T0));
            h.dataset.add(MispAttributes.attribute("comment", "seen in a phishing wave").uuid(COMMENT).toIds(false)
                    .timestamp(Attributes.T0));
            h.dataset.add(MispAttributes.attribute("text", "free text").uuid(TEXT).toIds(true).timestamp(Attributes.T0));

            CycleReport report = h.runCycle();

            assertThat(report.skipped()).containsEntry("ip-dts/unknown-type", 2L)
                    .containsEntry("x-acme-ticket/unknown-type", 1L)
                    .containsEntry("text/not-a-pattern", 1L);
            List<String> named = logs.lines().stream().filter(l -> l.contains("MISP does not define")).toList();
            assertThat(named).singleElement().asString()
                    .contains("ip-dts=2", TYPO_1, TYPO_2, "x-acme-ticket=1", CUSTOM);
            assertThat(logs.text()).doesNotContain(COMMENT).doesNotContain(TEXT);
        }
    }
}
