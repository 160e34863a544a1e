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

    private static int uploads(SyncHarness h, int i) {
        return h.standIns.sentinel().uploadCount(Attributes.indicatorId(uuid(i)));
    }

    @Test
    void anAttributeARefreshMetWhileItsEventWasUnpublishedIsRefreshedOnceTheEventIsPublishedAgain() throws Exception {
        AdjustableClock clock = new AdjustableClock(Instant.ofEpochSecond(T0 + DAY));
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.indicator-ttl-days", "10").set("refresh.lead-days", "3").clock(clock);
            h.dataset.add(ip(1));
            h.dataset.add(ip(2));
            h.runCycle();
            String first = validUntil(h, 1);

            // an analyst edits the sibling: every edit unpublishes the event, and the refresh meets it so
            h.dataset.edit(2, a -> a.put("comment", "reviewed"));
            clock.set(Instant.ofEpochSecond(T0 + 8 * DAY));
            CycleReport duringEdit = h.runCycle();
            assertThat(duringEdit.refreshed()).isZero();
            assertThat(uploads(h, 1)).isEqualTo(1);

            // published again: the unchanged sibling is read again as Sentinel has it, and taken up again
            h.dataset.publish("1");
            h.runCycle();
            clock.set(Instant.ofEpochSecond(T0 + 9 * DAY));
            h.runCycle();

            assertThat(uploads(h, 1)).isEqualTo(2);
            assertThat(Instant.parse(validUntil(h, 1))).isAfter(Instant.parse(first))
                    .isEqualTo(Instant.ofEpochSecond(T0 + 18 * DAY));
        }
    }

    @Test
    void anIndicatorThatExpiredBeforeItsRefreshGotThroughIsSentAgainWhileMispShowsIt() throws Exception {
        AdjustableClock clock = new AdjustableClock(Instant.ofEpochSecond(T0 + DAY));
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.indicator-ttl-days", "10").set("refresh.lead-days", "3").clock(clock);
            h.dataset.add(ip(1));
            h.runCycle();
            // misp-sentinel (or Sentinel, or its role assignment) is away for four days around the expiry
            clock.set(Instant.ofEpochSecond(T0 + 12 * DAY));

            CycleReport back = h.runCycle();

            assertThat(back.refreshed()).isEqualTo(1);
            assertThat(back.exitCode()).isZero();
            assertThat(Instant.parse(validUntil(h, 1))).isEqualTo(Instant.ofEpochSecond(T0 + 22 * DAY));
            assertThat(h.runCycle().refreshed()).as("once").isZero();
            assertThat(uploads(h, 1)).isEqualTo(2);
        }
    }

    @Test
    void theWithdrawalOfAnIndicatorARefreshKeptValidPastItsFirstSeenIsRevoked() throws Exception {
        AdjustableClock clock = new AdjustableClock(Instant.ofEpochSecond(T0 + DAY));
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.indicator-ttl-days", "10").set("refresh.lead-days", "3").clock(clock);
            // valid until first_seen + 10 days = T0 + 5 days
            h.dataset.add(ip(1).firstSeen(Instant.ofEpochSecond(T0 - 5 * DAY)));
            h.runCycle();
            clock.set(Instant.ofEpochSecond(T0 + 3 * DAY));
            h.runCycle();
            assertThat(Instant.parse(validUntil(h, 1))).as("refreshed").isEqualTo(Instant.ofEpochSecond(T0 + 13 * DAY));

            clock.set(Instant.ofEpochSecond(T0 + 6 * DAY));
            h.dataset.softDelete(1);
            h.dataset.publish("1");
            CycleReport deletion = h.runCycle();

            JsonNode held = h.standIns.sentinel().acceptedObject(Attributes.indicatorId(uuid(1))).orElseThrow();
            assertThat(deletion.revoked()).isEqualTo(1);
            assertThat(held.path("revoked").asBoolean(false)).as("deleted in MISP, revoked in Sentinel").isTrue();
            assertThat(deletion.exitCode()).isZero();
        }
    }

    @Test
    void anAttributeThatRoseAboveTheWorkspaceTlpCeilingIsRevokedThereAndNeverRefreshedIntoIt() throws Exception {
        AdjustableClock clock = new AdjustableClock(Instant.ofEpochSecond(T0 + DAY));
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.indicator-ttl-days", "10").set("refresh.lead-days", "3").set("filter.tlp-max", "amber")
                    .clock(clock);
            // its own tag says green: the event's red is the stricter, and that is what counts
            h.dataset.add(ip(1).tag("tlp:green"));
            h.runCycle();
            String id = Attributes.indicatorId(uuid(1));

            h.dataset.tagEvent("1", "tlp:red");
            h.dataset.publish("1");
            CycleReport redNow = h.runCycle();

            assertThat(redNow.revoked()).isEqualTo(1);
            assertThat(h.standIns.sentinel().acceptedObject(id).orElseThrow().path("revoked").asBoolean(false)).isTrue();
            assertThat(h.standIns.sentinel().uploadCount(id)).isEqualTo(2);

            clock.set(Instant.ofEpochSecond(T0 + 8 * DAY));
            CycleReport later = h.runCycle();

            assertThat(later.refreshed()).isZero();
            assertThat(h.standIns.sentinel().uploadCount(id)).as("nothing more goes to that workspace").isEqualTo(2);
            assertThat(h.standIns.sentinel().acceptedObject(id).orElseThrow().path("revoked").asBoolean(false)).isTrue();
        }
    }

    @Test
    void aWorkspaceWhoseFilterNoLongerTakesAnAttributeRevokesItInsteadOfRefreshingIt() throws Exception {
        AdjustableClock clock = new AdjustableClock(Instant.ofEpochSecond(T0 + DAY));
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.indicator-ttl-days", "10").set("refresh.lead-days", "3").clock(clock);
            h.dataset.add(ip(1));
            h.runCycle();
            h.dataset.tagEvent("1", "tlp:red");
            h.dataset.publish("1");
            h.runCycle();
            String id = Attributes.indicatorId(uuid(1));
            assertThat(h.standIns.sentinel().uploadCount(id)).isEqualTo(2);

            // the workspace now takes only what is at most amber
            h.stopApplication();
            h.set("filter.tlp-max", "amber");
            clock.set(Instant.ofEpochSecond(T0 + 8 * DAY));
            CycleReport narrowed = h.runCycle();

            assertThat(narrowed.refreshed()).isZero();
            assertThat(narrowed.revoked()).isEqualTo(1);
            assertThat(h.standIns.sentinel().acceptedObject(id).orElseThrow().path("revoked").asBoolean(false)).isTrue();
            assertThat(h.runCycle().refreshed()).isZero();
            assertThat(h.standIns.sentinel().uploadCount(id)).isEqualTo(3);
        }
    }
}
