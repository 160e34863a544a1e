package org.mispsentinel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.junit.jupiter.api.Test;
import org.mispsentinel.stix.StixIndicator;
import org.mispsentinel.stix.StixRelationship;

/** What the ledger records of what Sentinel holds, on a real state file: counts, the expiry index, its bounds. */
class InventoryTest extends StateFileTest {

    private static final long NOW = 1_700_000_000L;
    private static final long DAY = 86_400L;
    private static final long WEEK = 7 * DAY;

    private static String key(int n) {
        return String.format("%012d/00000000-0000-4000-8000-%012d", 1, n);
    }

    private static StixIndicator indicator(String id, Long validUntil, boolean revoked) {
        StixIndicator i = new StixIndicator(id, "2023-11-14T22:13:20.000Z", "2023-11-14T22:13:20.000Z", "n", null, null,
                "[domain-name:value = 'x.example.org']", "stix", "2.1", "2023-11-14T22:13:20.000Z",
                validUntil == null ? null : Instant.ofEpochSecond(validUntil) + "", null, null, null, null, null, null,
                null);
        return revoked ? i.revoke() : i;
    }

    /** The attribute {@code n} delivered as these objects, all accepted unless marked refused. */
    private List<PendingStix> deliver(int n, boolean revocation, boolean wholeObject, Object... objects) {
        String version = "v" + n + "/" + revocation + "/" + objects.length + "/" + System.nanoTime();
        ledger.add(version);
        ledger.describe(version, key(n), revocation);
        List<PendingStix> sent = new ArrayList<>();
        for (Object o : objects) {
            sent.add(new PendingStix(version, "u", o instanceof StixIndicator i ? i
                    : new StixRelationship("relationship--1", "x", "x", "indicates", "a", "b")));
        }
        ledger.expect(version, sent, wholeObject);
        return sent;
    }

    private void settle(List<PendingStix> sent) {
        ledger.settle(sent.stream().map(PendingStix::attributeKey).toList(), List.of());
    }

    private HeldIndicators counts(long now) {
        return Inventory.read(store, now, WEEK);
    }

    private static String id(int n) {
        return "indicator--00000000-0000-4000-8000-" + String.format("%012d", n);
    }

    @Test
    void countsIndicatorsOnlyByValidUntilAndRevocationAndSurviveARestart() {
        settle(deliver(1, false, false, indicator(id(1), NOW + DAY, false), indicator(id(101), NOW + 30 * DAY, false),
                "relationship"));
        settle(deliver(2, false, false, indicator(id(2), null, false)));
        settle(deliver(3, false, false, indicator(id(3), NOW - DAY, false)));

        assertThat(counts(NOW)).isEqualTo(new HeldIndicators(4, 0, 3, 0, 1));
        settle(deliver(2, true, false, indicator(id(2), null, true)));
        store.close();
        store = StateStore.openForReading(dir);

        assertThat(counts(NOW)).isEqualTo(new HeldIndicators(5, 1, 2, 1, 1));
        assertThat(counts(NOW + 2 * DAY)).as("a day later, the first has expired")
                .isEqualTo(new HeldIndicators(5, 1, 1, 1, 0));
    }

    @Test
    void aNewVersionReplacesWhatWasHeldOfTheAttribute() {
        settle(deliver(1, false, false, indicator(id(1), NOW + DAY, false)));
        settle(deliver(1, false, false, indicator(id(1), NOW + 20 * DAY, false)));

        assertThat(counts(NOW)).isEqualTo(new HeldIndicators(2, 0, 1, 0, 0));
        assertThat(ledger.dueForRefresh(Instant.ofEpochSecond(NOW), Duration.ofDays(3), 10)).isEmpty();
    }

    @Test
    void whatSentinelRefusedOnTheRecordIsNotCountedAndLeavesWhatItHeldBefore() {
        settle(deliver(1, false, false, indicator(id(1), NOW + DAY, false)));
        List<PendingStix> refused = deliver(1, false, false, indicator(id(1), NOW + 20 * DAY, false));
        refused.get(0).refused();
        settle(refused);
        List<PendingStix> half = deliver(2, false, false, indicator(id(2), null, false), indicator(id(102), null, false));
        half.get(1).refused();
        settle(half);

        assertThat(counts(NOW)).isEqualTo(new HeldIndicators(2, 0, 2, 0, 1));
        assertThat(ledger.isLive(key(1))).as("still revoked when withdrawn").isTrue();
    }

    @Test
    void anObjectIndicatorSentByTwoOfItsAttributesCountsOnce() {
        String object = id(77);
        settle(deliver(1, false, true, indicator(object, NOW + DAY, false)));
        settle(deliver(2, true, true, indicator(object, NOW + 2 * DAY, false)));

        assertThat(counts(NOW)).isEqualTo(new HeldIndicators(2, 0, 1, 0, 1));
        assertThat(ledger.isLive(key(1))).isTrue();
        assertThat(ledger.isLive(key(2))).isFalse();
        assertThat(ledger.dueForRefresh(Instant.ofEpochSecond(NOW), Duration.ofDays(3), 10))
                .as("asked for by the member still in it").singleElement()
                .satisfies(c -> assertThat(c.stableKey()).isEqualTo(key(1)))
                .satisfies(c -> assertThat(c.attributeUuid()).isEqualTo("00000000-0000-4000-8000-000000000001"));
    }

    @Test
    void refreshCandidatesAreTheSoonestToExpireFirstAtMostAskedAndEachOncePerExpiry() {
        settle(deliver(1, false, false, indicator(id(1), NOW + 2 * DAY, false), indicator(id(101), NOW + DAY, false)));
        settle(deliver(2, false, false, indicator(id(2), NOW + 3 * DAY / 2, false)));
        settle(deliver(3, false, false, indicator(id(3), NOW + 10 * DAY, false)));
        settle(deliver(4, false, false, indicator(id(4), NOW - 1, false)));
        settle(deliver(5, false, false, indicator(id(5), null, false)));
        settle(deliver(6, false, false, indicator(id(6), NOW + DAY / 2, false)));
        ledger.forget(key(6));
        Instant now = Instant.ofEpochSecond(NOW);

        List<RefreshCandidate> due = ledger.dueForRefresh(now, Duration.ofDays(3), 10);

        assertThat(due).extracting(RefreshCandidate::stableKey).containsExactly(key(1), key(2));
        assertThat(due.get(0).validUntil()).isEqualTo(NOW + DAY);
        assertThat(ledger.dueForRefresh(now, Duration.ofDays(3), 1)).extracting(RefreshCandidate::stableKey)
                .containsExactly(key(1));

        settle(deliver(1, false, false, indicator(id(1), NOW + 32 * DAY, false), indicator(id(101), NOW + 31 * DAY, false)));

        assertThat(ledger.dueForRefresh(now, Duration.ofDays(3), 10)).extracting(RefreshCandidate::stableKey)
                .as("refreshed to a later valid_until: due again only when that one is near").containsExactly(key(2));
        assertThat(ledger.dueForRefresh(now.plus(Duration.ofDays(29)), Duration.ofDays(3), 10))
                .extracting(RefreshCandidate::stableKey).containsExactly(key(1));
    }

    @Test
    void aCandidateMispNoLongerShowsIsLeftToExpireUntilItIsDeliveredAgain() {
        settle(deliver(1, false, false, indicator(id(1), NOW + DAY, false)));
        settle(deliver(2, false, false, indicator(id(2), NOW + 2 * DAY, false)));
        Instant now = Instant.ofEpochSecond(NOW);

        ledger.leaveToExpire(ledger.dueForRefresh(now, Duration.ofDays(3), 1).get(0));

        assertThat(ledger.dueForRefresh(now, Duration.ofDays(3), 1)).extracting(RefreshCandidate::stableKey)
                .containsExactly(key(2));
        settle(deliver(1, false, false, indicator(id(1), NOW + DAY, false)));
        assertThat(ledger.dueForRefresh(now, Duration.ofDays(3), 1)).extracting(RefreshCandidate::stableKey)
                .containsExactly(key(1));
    }

    @Test
    void oldestEntriesAreDroppedBeyondTheCapacityWithTheirIndexRowsAndCounts() {
        for (int i = 0; i <= CAPACITY; i++) {
            settle(deliver(i, false, false, indicator(id(i), NOW + DAY + i, false)));
        }

        assertThat(ledger.isLive(key(0))).isFalse();
        assertThat(ledger.isLive(key(1))).isTrue();
        assertThat(counts(NOW)).isEqualTo(new HeldIndicators(CAPACITY + 1, 0, CAPACITY, 0, CAPACITY));
        MVMap<String, String> index = store.map(Inventory.EXPIRY);
        assertThat(index.sizeAsLong()).isEqualTo(CAPACITY);
        assertThat(ledger.dueForRefresh(Instant.ofEpochSecond(NOW), Duration.ofDays(3), 1).get(0).stableKey())
                .isEqualTo(key(1));
    }

    @Test
    void liveAttributesOfAStateWrittenBeforeTheInventoryStayRevocable() {
        store.close();
        store = StateStore.open(dir);
        BoundedKeySet old = new BoundedKeySet(store, "live", CAPACITY);
        old.add(key(1));
        store.commit();

        DeliveryLedger upgraded = new DeliveryLedger(store, CAPACITY);

        assertThat(upgraded.isLive(key(1))).isTrue();
        assertThat(store.has("live")).isFalse();
        assertThat(counts(NOW).active()).as("counted from its next delivery").isZero();
    }

    /** States written between efca628 and b953646 kept bare uuids in 'live'; no attribute's key matches one. */
    @Test
    void onlyLiveKeysOfTheStableShapeAreTakenOverFromAnOldState() {
        store.close();
        store = StateStore.open(dir);
        BoundedKeySet old = new BoundedKeySet(store, "live", CAPACITY);
        String bareUuid = "00000000-0000-4000-8000-000000000002";
        old.add(key(1));
        old.add(bareUuid);
        old.add("event-7/00000000-0000-4000-8000-000000000003");
        store.commit();

        DeliveryLedger upgraded = new DeliveryLedger(store, CAPACITY);

        assertThat(upgraded.isLive(key(1))).isTrue();
        assertThat(upgraded.isLive(bareUuid)).isFalse();
        assertThat(upgraded.isLive("event-7/00000000-0000-4000-8000-000000000003")).isFalse();
        assertThat(store.has("live")).isFalse();
    }

    @Test
    void theLastSuccessfulCycleIsKeptWithTheCheckpointAndOneThatDeadLetteredIsNot() {
        Checkpoint checkpoint = new Checkpoint(store);
        assertThat(checkpoint.lastSuccess()).isEmpty();

        checkpoint.advanceTo(NOW - 120, Instant.ofEpochSecond(NOW), true);
        checkpoint.advanceTo(NOW - 60, Instant.ofEpochSecond(NOW + 60), false);

        Checkpoint reopened = new Checkpoint(reopenedStore());
        assertThat(reopened.lastSuccess()).contains(Instant.ofEpochSecond(NOW));
        assertThat(reopened.read()).hasValue(NOW - 60);
    }

    private StateStore reopenedStore() {
        store.close();
        store = StateStore.open(dir);
        return store;
    }
}
