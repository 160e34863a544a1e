package org.mispsentinel.delivery;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether MISP's clock, as its {@code Date} header tells it, can place the next window: the checkpoint
 * is compared with the timestamps MISP stamps, so it follows MISP's clock, but a {@code Date} that is
 * not MISP's clock (a proxy's on another host) or a clock that jumped would make it skip publications
 * or stop delivery behind a checkpoint in the future. So the {@code Date} is trusted only where it
 * agrees with this host's clock within the overlap, and the checkpoint never goes past this host's
 * clock less the overlap either.
 */
final class ClockTrust {

    /**
     * @param readStart where the next cycle may start reading, when the clocks agree
     * @param problem   otherwise what is wrong, for the log and the cycle's report
     */
    record Verdict(OptionalLong readStart, Optional<String> problem) {
    }

    private ClockTrust() {
    }

    /**
     * @param mispTime   MISP's {@code Date} at the cycle's first answer, epoch seconds, empty when it had none
     * @param askedAt    this host's clock when that page was asked for
     * @param answeredAt this host's clock when its answer came
     * @param overlap    {@code misp.cursor-overlap-seconds}
     */
    static Verdict judge(OptionalLong mispTime, long askedAt, long answeredAt, long overlap) {
        if (mispTime.isEmpty()) {
            return held("MISP's answer carried no Date header that could be read, so its clock cannot be checked "
                    + "against this host's; the checkpoint stays where it was and the next cycle reads from it again "
                    + "(a proxy in front of MISP must pass MISP's Date header on)");
        }
        long misp = mispTime.getAsLong();
        if (misp > answeredAt + overlap) {
            return held(skew(misp - answeredAt, "ahead of", overlap));
        }
        if (misp < askedAt - overlap) {
            return held(skew(askedAt - misp, "behind", overlap));
        }
        return new Verdict(OptionalLong.of(Math.max(0, Math.min(misp, askedAt) - overlap)), Optional.empty());
    }

    private static String skew(long seconds, String direction, long overlap) {
        return "MISP's clock (its Date header) is " + seconds + " s " + direction + " this host's clock, more than "
                + "misp.cursor-overlap-seconds (" + overlap + "); the checkpoint stays where it was, so no publication "
                + "is skipped, and each cycle reads from it again until the clocks agree (the Date header must come "
                + "from the clock MISP stamps its events with, kept in time with this host's, e.g. by NTP)";
    }

    private static Verdict held(String problem) {
        return new Verdict(OptionalLong.empty(), Optional.of(problem));
    }
}
