package org.mispsentinel.stix;

/** Writing values and path segments into STIX patterns so that no value can change a pattern's shape. */
final class StixLiterals {

    private StixLiterals() {
    }

    /**
     * Appends {@code value} as a STIX string literal. Backslashes are doubled before quotes are
     * escaped; done the other way round, the backslash added for a quote would itself be doubled.
     */
    static void appendString(StringBuilder out, String value) {
        out.append('\'');
        int n = value.length();
        int plainFrom = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\'') {
                out.append(value, plainFrom, i).append('\\').append(c);
                plainFrom = i + 1;
            }
        }
        out.append(value, plainFrom, n).append('\'');
    }

    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        appendString(out, value);
        return out.toString();
    }

    /**
     * A path segment as the grammar accepts it: bare when it is an identifier without hyphen, else
     * quoted ({@code hashes.MD5} but {@code hashes.'SHA-256'}).
     */
    static String pathSegment(String name) {
        return isPlainIdentifier(name) ? name : string(name);
    }

    static boolean isPlainIdentifier(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean digit = c >= '0' && c <= '9';
            if (!(letter || (digit && i > 0))) {
                return false;
            }
        }
        return true;
    }
}
