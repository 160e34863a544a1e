package org.mispsentinel.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the {@link Inventory}, as it is stored: a short string, because a million of them
 * live in the state file. {@code seq;flags;tokens;carrier}, where each token is one indicator Sentinel
 * holds ({@code -} without valid_until, {@code r} before it when revoked) and the carrier, for a MISP
 * object's indicator, is the attribute that last sent it unrevoked (MISP is asked for attributes, not
 * objects). The carrier goes last: it is the one part whose characters come from MISP.
 *
 * @param live          the attribute is one Sentinel holds unwithdrawn: MISP's withdrawal of it is revoked
 * @param leftToExpire  refresh passes it over until it is next sent (MISP no longer shows it)
 */
record Holding(long sequence, boolean live, boolean leftToExpire, List<Token> tokens, String carrier) {

    /** One indicator in Sentinel. {@link #NONE} when it has no valid_until. */
    record Token(long validUntil, boolean revoked) {

        static final long NONE = Long.MIN_VALUE;

        boolean expires() {
            return validUntil != NONE;
        }
    }

    static Holding fresh(long sequence) {
        return new Holding(sequence, false, false, List.of(), null);
    }

    Holding live(boolean value) {
        return new Holding(sequence, value, leftToExpire, tokens, carrier);
    }

    Holding leftToExpire(boolean value) {
        return new Holding(sequence, live, value, tokens, carrier);
    }

    /** What Sentinel holds now; a new version also ends "left to expire". */
    Holding holding(List<Token> now, String newCarrier) {
        return new Holding(sequence, live, false, List.copyOf(now), newCarrier != null ? newCarrier : carrier);
    }

    long count(boolean revokedOnes) {
        return tokens.stream().filter(t -> t.revoked() == revokedOnes).count();
    }

    String encode() {
        StringBuilder out = new StringBuilder(32).append(sequence).append(';');
        if (live) {
            out.append('L');
        }
        if (leftToExpire) {
            out.append('E');
        }
        out.append(';');
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            out.append(i == 0 ? "" : ",").append(t.revoked() ? "r" : "").append(t.expires() ? Long.toString(t.validUntil()) : "-");
        }
        return out.append(';').append(carrier == null ? "" : carrier).toString();
    }

    static Holding decode(String text) {
        String[] parts = text.split(";", 4);
        List<Token> tokens = new ArrayList<>(2);
        if (!parts[2].isEmpty()) {
            for (String t : parts[2].split(",")) {
                boolean revoked = t.startsWith("r");
                String end = revoked ? t.substring(1) : t;
                tokens.add(new Token(end.equals("-") ? Token.NONE : Long.parseLong(end), revoked));
            }
        }
        return new Holding(Long.parseLong(parts[0]), parts[1].contains("L"), parts[1].contains("E"), List.copyOf(tokens),
                parts[3].isEmpty() ? null : parts[3]);
    }
}
