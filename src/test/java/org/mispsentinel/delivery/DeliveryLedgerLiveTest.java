package org.mispsentinel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which attributes Sentinel holds unrevoked indicators of, as the ledger records it. */
class DeliveryLedgerLiveTest {

    private static final int CAPACITY = 1000;

    @TempDir
    Path dir;

    private StateStore store;
    private DeliveryLedger ledger;

    @BeforeEach
    void open() {
        store = StateStore.open(dir);
        ledger = new DeliveryLedger(store, CAPACITY);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void mapped(String key, String uuid, boolean revocation) {
        ledger.add(key);
        ledger.describe(key, uuid, revocation);
        ledger.expect(key, 1);
    }

    private DeliveryLedger reopened() {
        store.close();
        store = StateStore.open(dir);
        return new DeliveryLedger(store, CAPACITY);
    }

    @Test
    void attributeIsLiveOnceSentinelAcceptedItAndAfterARestart() {
        mapped("1/a", "a", false);
        assertThat(ledger.isLive("a")).as("in flight only").isFalse();

        ledger.settle(List.of("1/a"), List.of());

        assertThat(reopened().isLive("a")).isTrue();
    }

    @Test
    void refusedDeliveryLeavesItNotLive() {
        mapped("1/a", "a", false);

        ledger.settle(List.of(), List.of("1/a"));

        assertThat(ledger.isLive("a")).isFalse();
    }

    @Test
    void acceptedRevocationEndsItAndARefusedOneDoesNot() {
        mapped("1/a", "a", false);
        ledger.settle(List.of("1/a"), List.of());

        mapped("2/a", "a", true);
        ledger.settle(List.of(), List.of("2/a"));
        assertThat(ledger.isLive("a")).isTrue();

        mapped("2/a", "a", true);
        ledger.settle(List.of("2/a"), List.of());
        assertThat(reopened().isLive("a")).isFalse();
    }

    @Test
    void attributeDeliveredInsideAnotherOnesIndicatorIsLiveToo() {
        mapped("1/a", "a", false);
        ledger.add("1/b");
        ledger.describe("1/b", "b", false);
        ledger.follow("1/b", "1/a");

        ledger.settle(List.of("1/a"), List.of());

        assertThat(ledger.isLive("b")).isTrue();
    }

    @Test
    void oldestLiveAttributesAreDroppedBeyondTheCapacity() {
        for (int i = 0; i <= CAPACITY; i++) {
            mapped(i + "/u" + i, "u" + i, false);
            ledger.settle(List.of(i + "/u" + i), List.of());
        }

        assertThat(ledger.isLive("u0")).isFalse();
        assertThat(ledger.isLive("u1")).isTrue();
        assertThat(ledger.isLive("u" + CAPACITY)).isTrue();
    }
}
