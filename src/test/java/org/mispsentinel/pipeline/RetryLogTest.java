package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.launcher.logging.RedactedJsonEncoder;
import org.mispsentinel.standin.MispFault;
import org.mispsentinel.standin.SentinelFault;

/**
 * A retry is normal operation: one line in the product's words (what failed, which attempt, how long
 * it waits), not Camel's dump of the exchange, which stays at DEBUG.
 */
class RetryLogTest {

    private static final String CAMEL_DUMP = "Failed delivery for";

    @TempDir
    Path temp;

    private static List<ILoggingEvent> from(LogCapture logs, String loggerSuffix) {
        return logs.events().stream().filter(e -> e.getLoggerName().endsWith(loggerSuffix)).toList();
    }

    private static void assertCamelsDumpOnlyAtDebug(LogCapture logs) {
        assertThat(logs.events()).filteredOn(e -> e.getFormattedMessage().contains(CAMEL_DUMP))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.DEBUG));
    }

    @Test
    void a429LogsOneLineWithTheWorkspaceTheAttemptAndTheWaitSentinelAskedFor() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp);
             LogCapture logs = LogCapture.start().level("org.apache.camel.processor.errorhandler", Level.DEBUG)) {
            Attributes.addMix(h.dataset, 20);
            h.standIns.sentinel().enqueue(SentinelFault.throttled(1, true));

            h.runCycle();

            assertThat(from(logs, "RetryBudget")).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).isEqualTo("sentinel: 429 Too Many Requests for workspace default, "
                        + "attempt 2 of 31, waiting 1 s as Retry-After asks");
                // logged on the upload thread, which carries the cycle's id too
                assertThat(e.getThreadName()).startsWith("misp-sentinel-upload");
                assertThat(e.getMDCPropertyMap()).containsKey("cycle");
            });
            assertCamelsDumpOnlyAtDebug(logs);
        }
    }

    @Test
    void aSentinelOutageRetryLogsOneLineWithWhatFailedTheAttemptAndTheWait() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp);
             LogCapture logs = LogCapture.start().level("org.apache.camel.processor.errorhandler", Level.DEBUG)) {
            Attributes.addMix(h.dataset, 20);
            h.standIns.sentinel().enqueue(SentinelFault.serverError(503));

            h.runCycle();

            assertThat(from(logs, "RetryBudget")).singleElement().extracting(ILoggingEvent::getFormattedMessage)
                    .asString().startsWith("sentinel: Sentinel answered HTTP 503")
                    .endsWith(" for workspace default, attempt 2 of 6, waiting 1 ms");
            assertCamelsDumpOnlyAtDebug(logs);
        }
    }

    @Test
    void aMispRetryLogsOneLineWithWhatFailedTheAttemptAndTheWait() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp);
             LogCapture logs = LogCapture.start().level("org.apache.camel.processor.errorhandler", Level.DEBUG)) {
            Attributes.addMix(h.dataset, 20);
            h.standIns.misp().enqueue(MispFault.serverError());

            h.runCycle();

            assertThat(from(logs, "MispRetry")).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).startsWith("misp: ")
                        .endsWith(", attempt 2 of 6, waiting 1 ms before asking again");
            });
            assertCamelsDumpOnlyAtDebug(logs);
        }
    }

    @Test
    void theCycleSummaryCarriesItsCountersAndTheCycleIdAsJsonFields() throws Exception {
        RedactedJsonEncoder encoder = new RedactedJsonEncoder();
        encoder.setContext(new LoggerContext());
        encoder.start();
        try (SyncHarness h = SyncHarness.start(temp);
             LogCapture logs = LogCapture.start().level("org.mispsentinel", Level.INFO)) {
            Attributes.addMix(h.dataset, 20);

            var report = h.runCycle();

            ILoggingEvent summary = logs.events().stream()
                    .filter(e -> e.getFormattedMessage().startsWith("cycle complete")).findFirst().orElseThrow();
            JsonNode line = new ObjectMapper().readTree(new String(encoder.encode(summary), StandardCharsets.UTF_8));
            assertThat(line.path("mdc").path("cycle").asText()).isNotEmpty();
            assertThat(line.path("kvpList").toString())
                    .contains("\"delivered\":\"" + report.delivered() + "\"")
                    .contains("\"fetched\":\"" + report.fetched() + "\"")
                    .contains("\"outcome\":\"complete\"");
        }
    }
}
