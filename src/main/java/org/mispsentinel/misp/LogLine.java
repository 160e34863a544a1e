package org.mispsentinel.misp;

/** Making untrusted text safe to put on one log line. */
public final class LogLine {

    private LogLine() {
    }

    /** Control characters (including line breaks) become spaces; over {@code max} chars are cut. */
    public static String clip(String text, int max) {
        if (text == null) {
            return "";
        }
        int n = Math.min(text.length(), max);
        StringBuilder out = new StringBuilder(n + 1);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || c == '\u202e' || c == '\u202d' ? ' ' : c);
        }
        if (text.length() > max) {
            out.append('…');
        }
        return out.toString();
    }
}
