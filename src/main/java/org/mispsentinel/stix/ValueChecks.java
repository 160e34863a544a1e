package org.mispsentinel.stix;

/**
 * Syntax checks of observable values. Each returns null when the value is fine, else a short reason
 * for the log. They reject rather than repair: a value MISP holds in a wrong shape is better fixed in
 * MISP than guessed at here.
 */
final class ValueChecks {

    static final long MAX_AS_NUMBER = 4_294_967_295L;

    private ValueChecks() {
    }

    /**
     * Control characters have no business in an observable and can forge log lines; an unpaired
     * surrogate cannot be written as UTF-8 JSON at all.
     */
    static String checkCharacters(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "control character U+" + hex4(c) + " at index " + i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return "unpaired surrogate at index " + i;
                }
            }
        }
        return null;
    }

    /**
     * Host names as seen in threat data: LDH labels plus '_' (found in real malicious hosts) and
     * Unicode letters for IDNs; 1..63 characters a label, 253 in all, at least two labels, an
     * optional final dot, and a top-level label that is not all digits (that would be an IP).
     */
    static String checkDomain(String s) {
        int end = s.length();
        if (end > 0 && s.charAt(end - 1) == '.') {
            end--;
        }
        if (end == 0) {
            return "empty domain name";
        }
        if (end > 253) {
            return "domain name longer than 253 characters";
        }
        int labels = 0;
        int labelStart = 0;
        boolean labelAllDigits = true;
        for (int i = 0; i <= end; i++) {
            if (i == end || s.charAt(i) == '.') {
                int len = i - labelStart;
                if (len == 0) {
                    return "empty label in domain name";
                }
                if (len > 63) {
                    return "domain label longer than 63 characters";
                }
                if (s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return "domain label starts or ends with '-'";
                }
                labels++;
                if (i == end) {
                    break;
                }
                labelStart = i + 1;
                labelAllDigits = true;
                continue;
            }
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                continue;
            }
            labelAllDigits = false;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_') {
                continue;
            }
            if (c < 0x80) {
                return "character '" + c + "' not allowed in a domain name";
            }
            int cp = s.codePointAt(i);
            if (!isIdnCodePoint(cp)) {
                return "character U+" + Integer.toHexString(cp).toUpperCase() + " not allowed in a domain name";
            }
            i += Character.charCount(cp) - 1;
        }
        if (labels < 2) {
            return "domain name needs at least two labels";
        }
        if (labelAllDigits) {
            return "top-level label is numeric";
        }
        return null;
    }

    private static boolean isIdnCodePoint(int cp) {
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        // Combining marks are part of many scripts' letters; ZWNJ/ZWJ are allowed by IDNA in context.
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK || cp == 0x200C || cp == 0x200D;
    }

    /** One '@' with something on both sides and no white space. */
    static String checkEmail(String s) {
        int at = s.indexOf('@');
        if (at < 0) {
            return "e-mail address without '@'";
        }
        if (s.indexOf('@', at + 1) >= 0) {
            return "e-mail address with more than one '@'";
        }
        if (at == 0 || at == s.length() - 1) {
            return "e-mail address with an empty local part or domain";
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return "white space in an e-mail address";
            }
        }
        return null;
    }

    /**
     * A MISP {@code uri} is a URI reference, often a bare path: the generic checks already refuse
     * blanks and control characters, and anything else may be one. URLs proper are {@link UrlValues}'.
     */
    static String checkUri(String s) {
        return s.isBlank() ? "blank URI" : null;
    }

    /**
     * MAC-48 as six hex pairs separated by ':' or '-' (not mixed); null when invalid. STIX requires
     * the lower-case, colon-separated form, so that is what is returned.
     */
    static String normalizeMac(String s) {
        if (s.length() != 17) {
            return null;
        }
        char sep = s.charAt(2);
        if (sep != ':' && sep != '-') {
            return null;
        }
        char[] out = new char[17];
        for (int i = 0; i < 17; i++) {
            char c = s.charAt(i);
            if (i % 3 == 2) {
                if (c != sep) {
                    return null;
                }
                out[i] = ':';
            } else {
                if (!HashAlgorithm.isHex(s, i, i + 1)) {
                    return null;
                }
                out[i] = Character.toLowerCase(c);
            }
        }
        return new String(out);
    }

    /** The AS number of "64496", "AS64496" or "as64496"; -1 when out of 0..4294967295 or not a number. */
    static long asNumber(String s) {
        int from = s.length() >= 2 && s.regionMatches(true, 0, "AS", 0, 2) ? 2 : 0;
        return unsignedDecimal(s, from, s.length(), MAX_AS_NUMBER);
    }

    /** A port in 0..65535; -1 when it is not one. */
    static int port(String s) {
        return (int) unsignedDecimal(s, 0, s.length(), 65_535);
    }

    static String checkPort(String s) {
        return port(s) < 0 ? "port must be an integer within 0..65535" : null;
    }

    private static long unsignedDecimal(String s, int from, int to, long max) {
        if (to <= from || to - from > 20) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                return -1;
            }
        }
        return value;
    }

    private static String hex4(char c) {
        String h = Integer.toHexString(c).toUpperCase();
        return "0000".substring(h.length()) + h;
    }
}
