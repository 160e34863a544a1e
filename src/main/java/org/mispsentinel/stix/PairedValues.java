package org.mispsentinel.stix;

/** Splitting MISP's "a|b" composite values. */
final class PairedValues {

    private PairedValues() {
    }

    /**
     * Splits at the last '|' when the right half cannot contain one (a hash, port or IP) and at the
     * first when the left half cannot (a registry key, whose value data may hold anything).
     * Null when there is no '|'.
     */
    static String[] split(String value, boolean atLast) {
        int bar = atLast ? value.lastIndexOf('|') : value.indexOf('|');
        if (bar < 0) {
            return null;
        }
        return new String[] {value.substring(0, bar), value.substring(bar + 1)};
    }
}
