package org.mispsentinel.stix;

/** Free text (comments, tags, names) made safe to serialise. */
final class Text {

    static final int NAME_VALUE_LIMIT = 256;

    private Text() {
    }

    /**
     * Replaces unpaired surrogates with U+FFFD: a JSON generator refuses them, and one bad comment
     * must not fail a whole upload batch. Returns {@code s} itself when it is already clean.
     */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return replaceUnpaired(s);
                }
            }
        }
        return s;
    }

    private static String replaceUnpaired(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * The value as shown in a name: the first line only (rule texts span many) and at most
     * {@link #NAME_VALUE_LIMIT} characters, never cutting a surrogate pair.
     */
    static String forName(String value) {
        int end = value.length();
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r') {
                end = i;
                break;
            }
        }
        boolean cut = end < value.length();
        if (end > NAME_VALUE_LIMIT) {
            end = NAME_VALUE_LIMIT;
            if (Character.isHighSurrogate(value.charAt(end - 1))) {
                end--;
            }
            cut = true;
        }
        return cut ? value.substring(0, end) + "\u2026" : value;
    }
}
