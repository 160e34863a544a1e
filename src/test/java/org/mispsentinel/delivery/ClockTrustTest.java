package org.mispsentinel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClockTrustTest {

    private static final long ASKED = 1_800_000_000L;

    @Test
    void anAnswerWithoutADateHoldsTheCheckpointInsteadOfFallingBackToThisHostsClock() {
        ClockTrust.Verdict verdict = ClockTrust.judge(OptionalLong.empty(), ASKED, ASKED + 1, 120);

        assertThat(verdict.readStart()).isEmpty();
        assertThat(verdict.problem()).get().asString().contains("no Date header").contains("checkpoint stays");
    }

    @Test
    void aDateThatDisagreesWithThisHostByMoreThanTheOverlapIsNamedWithItsSkew() {
        assertThat(ClockTrust.judge(OptionalLong.of(ASKED + 1 + 600), ASKED, ASKED + 1, 120).problem()).get().asString()
                .contains("600 s ahead of this host's clock").contains("misp.cursor-overlap-seconds (120)");
        assertThat(ClockTrust.judge(OptionalLong.of(ASKED - 121), ASKED, ASKED + 1, 120).problem()).get().asString()
                .contains("121 s behind this host's clock");
    }

    @Test
    void withinTheOverlapTheEarlierOfTheTwoClocksLessTheOverlapIsWhereTheNextCycleStarts() {
        assertThat(ClockTrust.judge(OptionalLong.of(ASKED + 100), ASKED, ASKED + 1, 120).readStart())
                .hasValue(ASKED - 120);
        assertThat(ClockTrust.judge(OptionalLong.of(ASKED - 100), ASKED, ASKED + 1, 120).readStart())
                .hasValue(ASKED - 220);
    }
}
