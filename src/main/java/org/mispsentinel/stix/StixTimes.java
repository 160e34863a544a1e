package org.mispsentinel.stix;

/**
 * RFC 3339 UTC timestamps with milliseconds, written by hand because {@code DateTimeFormatter} costs
 * more than the rest of a mapping together.
 */
final class StixTimes {

    /** 0001-01-01T00:00:00.000Z: STIX timestamps have four-digit years. */
    static final long MIN_MILLIS = -62135596800000L;
    /** 9999-12-31T23:59:59.999Z. */
    static final long MAX_MILLIS = 253402300799999L;

    private StixTimes() {
    }

    static boolean inRange(long epochMillis) {
        return epochMillis >= MIN_MILLIS && epochMillis <= MAX_MILLIS;
    }

    /** Callers check {@link #inRange} first. */
    static String format(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        long msOfDay = Math.floorMod(epochMillis, 86_400_000L);
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));

        int ms = (int) (msOfDay % 1000);
        int secs = (int) (msOfDay / 1000);
        char[] out = new char[24];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, secs / 3600, 2);
        out[13] = ':';
        digits(out, 14, (secs / 60) % 60, 2);
        out[16] = ':';
        digits(out, 17, secs % 60, 2);
        out[19] = '.';
        digits(out, 20, ms, 3);
        out[23] = 'Z';
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
