package org.mispsentinel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The delivery ledger on a real state file, beyond what the pipeline tests drive through it. */
class DeliveryLedgerTest extends StateFileTest {

    private void carries(String leader) {
        ledger.add(leader);
        ledger.expect(leader, 1);
    }

    private void mapped(String key, String attribute, boolean revocation) {
        ledger.add(key);
        ledger.describe(key, attribute, revocation);
        ledger.expect(key, 1);
    }

    // Attributes delivered inside another attribute's indicator (one indicator per MISP object).

    @Test
    void followerIsDeliveredWhenTheIndicatorItFollowsIsAccepted() {
        carries("leader");
        ledger.add("follower");

        assertThat(ledger.follow("follower", "leader")).isTrue();
        ledger.settle(List.of("leader"), List.of());

        DeliveryLedger reopened = reopened();
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

    // Which attributes Sentinel holds unrevoked indicators of, for revocation.

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
