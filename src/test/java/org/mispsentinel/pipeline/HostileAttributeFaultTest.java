package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.MispAttributes;

/**
 * Hostile and broken attribute JSON through the whole pipeline: each bad attribute is skipped, logged
 * with its uuid and reason and counted, and the good ones around it are still delivered.
 */
class HostileAttributeFaultTest {

    @TempDir
    Path temp;

    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        // DEBUG for the product only: deliberately quiet skips (types without a pattern) are logged there
        logs = LogCapture.start().level("org.mispsentinel", Level.DEBUG);
    }

    @AfterEach
    void releaseLogs() {
        logs.close();
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(("hostile-" + name).getBytes()).toString();
    }

    private static ObjectNode attribute(String name, String type, String value) {
        return MispAttributes.attribute(type, value).uuid(uuid(name)).toIds(true).timestamp(Attributes.T0 + 1).build();
    }

    /** A good attribute before and after every bad one, so that the run must go on past each. */
    private static ObjectNode good(int i) {
        return MispAttributes.attribute("domain", "good" + i + ".example.org").uuid(uuid("good-" + i)).toIds(true)
                .timestamp(Attributes.T0 + 10 + i).build();
    }

    private List<ILoggingEvent> eventsMentioning(String text) {
        return logs.events().stream().filter(e -> LogCapture.render(e).contains(text)).toList();
    }

    private void assertLoggedAtWarn(String uuid, String reason) {
        assertThat(eventsMentioning(uuid)).as("log lines naming %s", uuid)
                .anySatisfy(e -> {
                    assertThat(e.getLevel().isGreaterOrEqual(Level.WARN)).isTrue();
                    assertThat(e.getFormattedMessage()).contains(reason);
                });
    }

    @Test
    void hostileAttributesAreSkippedLoggedAndCountedWhileTheGoodOnesAreDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<ObjectNode> bad = new ArrayList<>();

            ObjectNode noUuid = attribute("no-uuid", "domain", "no-uuid.example.org");
            noUuid.remove("uuid");
            bad.add(noUuid);
            ObjectNode noValue = attribute("no-value", "domain", "x");
            noValue.remove("value");
            bad.add(noValue);
            ObjectNode numberValue = attribute("number-value", "ip-src", "x");
            numberValue.put("value", 3232235777L);
            bad.add(numberValue);
            ObjectNode objectValue = attribute("object-value", "url", "x");
            ObjectNode inner = objectValue.putObject("value");
            inner.put("href", "https://evil.example/");
            bad.add(objectValue);
            ObjectNode nullTimestamp = attribute("null-timestamp", "domain", "null-ts.example.org");
            nullTimestamp.putNull("timestamp");
            bad.add(nullTimestamp);
            ObjectNode abcTimestamp = attribute("abc-timestamp", "domain", "abc-ts.example.org");
            abcTimestamp.put("timestamp", "abc");
            bad.add(abcTimestamp);
            bad.add(attribute("unknown-type", "made-up-type", "whatever"));
            bad.add(attribute("bad-ipv4", "ip-dst", "999.1.1.1"));
            bad.add(attribute("short-md5", "md5", "d41d8cd98f00b204e9800998ecf8427"));
            bad.add(attribute("huge-value", "url", "https://evil.example/" + "a".repeat(1024 * 1024)));
            bad.add(attribute("control-chars", "filename", "invoice\u0007\r\nINFO forged log line.exe"));

            List<ObjectNode> fine = new ArrayList<>();
            fine.add(attribute("quotes", "filename", "a'b\\c.exe"));
            fine.add(attribute("rtl", "filename", "r\u00e9sum\u00e9 \u65e5\u672c \u202Eexe.pdf"));
            ObjectNode stringToIds = attribute("string-to-ids", "domain", "string-to-ids.example.org");
            stringToIds.put("to_ids", "1");
            fine.add(stringToIds);

            int i = 0;
            for (ObjectNode b : bad) {
                h.dataset.add(good(i++));
                h.dataset.add(b);
            }
            for (ObjectNode f : fine) {
                h.dataset.add(good(i++));
                h.dataset.add(f);
            }
            h.dataset.add(good(i++));
            int goods = i;

            CycleReport report = h.runCycle();

            // the run went on: every good attribute and the three awkward-but-valid ones were delivered once
            List<String> expected = new ArrayList<>();
            for (int g = 0; g < goods; g++) {
                expected.add(Attributes.indicatorId(uuid("good-" + g)));
            }
            expected.add(Attributes.indicatorId(uuid("quotes")));
            expected.add(Attributes.indicatorId(uuid("rtl")));
            expected.add(Attributes.indicatorId(uuid("string-to-ids")));
            assertThat(h.standIns.sentinel().acceptedIds()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(expected).allSatisfy(id -> assertThat(h.standIns.sentinel().uploadCount(id)).isEqualTo(1));
            assertThat(report.fetched()).isEqualTo(goods + bad.size() + fine.size());
            assertThat(report.delivered()).isEqualTo(expected.size());
            assertThat(report.exitCode()).isZero();
            assertThat(report.problems()).isEmpty();
            h.assertCheckpointMovedToTheRead(report);
            assertThat(report.skipped()).containsOnly(
                    entry("domain/malformed-uuid", 1L),
                    entry("domain/missing-field", 2L),
                    entry("ip-src/wrong-json-type", 1L),
                    entry("url/wrong-json-type", 1L),
                    entry("domain/malformed-timestamp", 1L),
                    entry("made-up-type/unknown-type", 1L),
                    entry("ip-dst/invalid-value", 1L),
                    entry("md5/invalid-value", 1L),
                    entry("url/value-too-long", 1L),
                    entry("filename/invalid-value", 1L));

            // each skipped attribute is logged with its uuid (when it has one) and the reason
            assertThat(eventsMentioning("missing or invalid uuid")).singleElement()
                    .satisfies(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
            assertLoggedAtWarn(uuid("no-value"), "missing value");
            assertLoggedAtWarn(uuid("number-value"), "value is number");
            assertLoggedAtWarn(uuid("object-value"), "value is object");
            assertLoggedAtWarn(uuid("null-timestamp"), "missing timestamp");
            assertLoggedAtWarn(uuid("abc-timestamp"), "timestamp is not epoch seconds");
            assertLoggedAtWarn(uuid("bad-ipv4"), "invalid-value");
            assertLoggedAtWarn(uuid("bad-ipv4"), "not an IPv4 address");
            assertLoggedAtWarn(uuid("short-md5"), "invalid-value");
            assertLoggedAtWarn(uuid("huge-value"), "value-too-long");
            assertLoggedAtWarn(uuid("control-chars"), "control character");
            // a type MISP does not define is named in the cycle's one line about such types
            assertThat(eventsMentioning(uuid("unknown-type"))).singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("MISP does not define"));
            // neither the megabyte value nor the control characters reach the log
            assertThat(logs.lines()).allSatisfy(line -> {
                assertThat(line).doesNotContain("a".repeat(5000));
                assertThat(line).doesNotContain("forged log line");
            });

            // awkward but valid values arrive intact and correctly escaped
            assertThat(h.standIns.sentinel().acceptedObject(Attributes.indicatorId(uuid("quotes")))).get()
                    .extracting(o -> o.path("pattern").asText())
                    .isEqualTo("[file:name = 'a\\'b\\\\c.exe']");
            assertThat(h.standIns.sentinel().acceptedObject(Attributes.indicatorId(uuid("rtl")))).get()
                    .extracting(o -> o.path("pattern").asText())
                    .isEqualTo("[file:name = 'r\u00e9sum\u00e9 \u65e5\u672c \u202Eexe.pdf']");
            assertThat(h.standIns.sentinel().acceptedObject(Attributes.indicatorId(uuid("string-to-ids")))).get()
                    .extracting(o -> o.path("pattern").asText())
                    .isEqualTo("[domain-name:value = 'string-to-ids.example.org']");

            int requests = h.standIns.sentinel().requests();
            CycleReport next = h.runCycle();

            assertThat(next.exitCode()).isZero();
            assertThat(next.delivered()).isZero();
            assertThat(h.standIns.sentinel().requests()).isEqualTo(requests);
        }
    }

    @Test
    void malformedAttributesAreCountedByTheirTypeAndReason() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            ObjectNode numberValue = attribute("number-value", "ip-src", "x");
            numberValue.put("value", 3232235777L);
            h.dataset.add(numberValue);
            ObjectNode abcTimestamp = attribute("abc-timestamp", "domain", "abc-ts.example.org");
            abcTimestamp.put("timestamp", "abc");
            h.dataset.add(abcTimestamp);
            h.dataset.add(good(0));

            CycleReport report = h.runCycle();

            assertThat(report.delivered()).isEqualTo(1);
            assertThat(report.skipped()).hasSize(2);
            assertThat(report.skipped().keySet()).anySatisfy(key -> assertThat(key).startsWith("ip-src/"));
            assertThat(report.skipped().keySet()).anySatisfy(key -> assertThat(key).startsWith("domain/"));
        }
    }
}
