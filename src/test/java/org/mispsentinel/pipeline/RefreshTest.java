package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.AdjustableClock;
import org.mispsentinel.standin.MispAttributes;

/**
 * Indicators that stay valid while MISP still shows them: before their valid_until, they are sent
 * again with a new one, once per expiry, a bounded number per cycle; one MISP no longer shows is
 * left to expire. The MISP stand-in answers the uuid filter as MispStandInTest shows (MISP's
 * MispAttribute::set_filter_uuid: a list of uuids under the other filters, deleted ones included
 * when asked).
 */
class RefreshTest {

    private static final long DAY = 86_400L;
    private static final long T0 = Attributes.T0;

    @TempDir
    Path temp;

    private static String uuid(int i) {
        return UUID.nameUUIDFromBytes(("refresh-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static MispAttributes.Builder ip(int i) {
        return MispAttributes.attribute("ip-dst", "198.51.100." + i).id(i).uuid(uuid(i)).toIds(true).timestamp(T0 + i);
    }

    private static String validUntil(SyncHarness h, int i) {
        return h.standIns.sentinel().acceptedObject(Attributes.indicatorId(uuid(i))).map(o -> o.path("valid_until").asText())
                .orElseThrow();
    }

    @Test
    void indicatorsDueWithinTheLeadTimeAreSentAgainOnceBoundedPerCycleAndOnlyWhileMispShowsThem() throws Exception {
        AdjustableClock clock = new AdjustableClock(Instant.ofEpochSecond(T0 + DAY));
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.indicator-ttl-days", "10").set("refresh.lead-days", "3").set("refresh.max-per-cycle", "4")
                    // a deletion leaves what Sentinel holds to expire, so the refresh is what must pass it over
                    .set("sentinel.revoke-withdrawn", "false")
                    .clock(clock);
            IntStream.rangeClosed(1, 6).forEach(i -> h.dataset.add(ip(i)));
            h.runCycle();
            List<String> firstValidity = IntStream.rangeClosed(1, 6).mapToObj(i -> validUntil(h, i)).toList();

            // two days before they expire; MISP deletes the sixth
            clock.set(Instant.ofEpochSecond(T0 + 8 * DAY));
            h.dataset.add(ip(6).deleted(true).timestamp(T0 + 8 * DAY - 60));
            CycleReport second = h.runCycle();

            String renewed = Instant.ofEpochSecond(T0 + 18 * DAY).toString();
            assertThat(second.refreshed()).as("at most refresh.max-per-cycle, the soonest first").isEqualTo(4);
            for (int i = 1; i <= 4; i++) {
                assertThat(validUntil(h, i)).startsWith(renewed.substring(0, 19));
                assertThat(h.standIns.sentinel().acceptedObject(Attributes.indicatorId(uuid(i))).orElseThrow()
                        .path("modified").asText()).startsWith(clock.instant().toString().substring(0, 19));
                assertThat(h.standIns.sentinel().uploadCount(Attributes.indicatorId(uuid(i)))).isEqualTo(2);
            }
            assertThat(validUntil(h, 5)).isEqualTo(firstValidity.get(4));
            assertThat(second.exitCode()).isZero();

            CycleReport third = h.runCycle();

            assertThat(third.refreshed()).as("the fifth; the sixth MISP no longer shows").isEqualTo(1);
            assertThat(h.standIns.sentinel().uploadCount(Attributes.indicatorId(uuid(5)))).isEqualTo(2);
            assertThat(validUntil(h, 6)).as("left to expire").isEqualTo(firstValidity.get(5));
            assertThat(h.standIns.sentinel().uploadCount(Attributes.indicatorId(uuid(6)))).isEqualTo(1);

            int requests = h.standIns.sentinel().requests();
            CycleReport fourth = h.runCycle();

            assertThat(fourth.refreshed()).as("each once per expiry").isZero();
            assertThat(h.standIns.sentinel().requests()).isEqualTo(requests);
            JsonNode refreshed = h.standIns.sentinel().acceptedObject(Attributes.indicatorId(uuid(1))).orElseThrow();
            assertThat(refreshed.path("valid_from").asText()).as("valid_from stays")
                    .isEqualTo(Instant.ofEpochSecond(T0 + 1).toString().replace("Z", ".000Z"));
        }
    }
}
