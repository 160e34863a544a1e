package org.mispsentinel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attributes delivered inside another attribute's indicator (one indicator per MISP object). */
class DeliveryLedgerFollowTest {

    @TempDir
    Path dir;

    private StateStore store;
    private DeliveryLedger ledger;

    @BeforeEach
    void open() {
        store = StateStore.open(dir);
        ledger = new DeliveryLedger(store, 1000);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void carries(String leader) {
        ledger.add(leader);
        ledger.expect(leader, 1);
    }

    @Test
    void followerIsDeliveredWhenTheIndicatorItFollowsIsAccepted() {
        carries("leader");
        ledger.add("follower");

        assertThat(ledger.follow("follower", "leader")).isTrue();
        ledger.settle(List.of("leader"), List.of());

        store.close();
        store = StateStore.open(dir);
        DeliveryLedger reopened = new DeliveryLedger(store, 1000);
        assertThat(reopened.contains("leader")).isTrue();
        assertThat(reopened.contains("follower")).isTrue();
    }

    @Test
    void followerIsReleasedWhenTheIndicatorItFollowsFails() {
        carries("leader");
        ledger.add("follower");
        ledger.follow("follower", "leader");

        ledger.settle(List.of(), List.of("leader"));

        assertThat(ledger.contains("follower")).isFalse();
        assertThat(ledger.releaseInFlight()).isZero();
    }

    @Test
    void followerIsReleasedWhenTheAttributeCarryingTheIndicatorIsRemoved() {
        carries("leader");
        ledger.add("follower");
        ledger.follow("follower", "leader");

        ledger.remove("leader");

        assertThat(ledger.contains("follower")).isFalse();
    }

    @Test
    void followingAnIndicatorAlreadyAcceptedDeliversAtOnce() {
        carries("leader");
        ledger.settle(List.of("leader"), List.of());
        ledger.add("follower");

        assertThat(ledger.follow("follower", "leader")).isTrue();

        assertThat(ledger.contains("follower")).isTrue();
        assertThat(ledger.releaseInFlight()).as("nothing left in flight").isZero();
    }

    @Test
    void anIndicatorThatAlreadyFailedCannotBeFollowed() {
        carries("leader");
        ledger.settle(List.of(), List.of("leader"));
        ledger.add("follower");

        assertThat(ledger.follow("follower", "leader")).isFalse();
        assertThat(ledger.contains("follower")).as("still in flight, to be sent on its own").isTrue();
    }
}
