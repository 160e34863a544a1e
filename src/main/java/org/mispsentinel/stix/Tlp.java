package org.mispsentinel.stix;

/**
 * Traffic Light Protocol levels with the STIX 2.1 predefined marking-definition ids. TLP 2.0's CLEAR
 * shares WHITE's id and AMBER+STRICT is sent as AMBER, because STIX 2.1 predefines only TLP 1.0.
 */
public enum Tlp {
    WHITE("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"),
    GREEN("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"),
    AMBER("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"),
    RED("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed");

    private final String markingId;

    Tlp(String markingId) {
        this.markingId = markingId;
    }

    public String markingId() {
        return markingId;
    }

    /** The more restricted of two levels; either may be null (none). */
    public static Tlp stricter(Tlp a, Tlp b) {
        return a == null || b != null && b.ordinal() > a.ordinal() ? b : a;
    }

    private static boolean level(String tag, String name) {
        return tag.length() == 4 + name.length() && tag.regionMatches(true, 4, name, 0, name.length());
    }

    /** The level of a {@code tlp:*} tag (any case), or null when the tag is not a TLP level. */
    public static Tlp fromTag(String tag) {
        if (tag == null || tag.length() < 7 || !tag.regionMatches(true, 0, "tlp:", 0, 4)) {
            return null;
        }
        // Compared in place: this runs for every tag of every attribute.
        if (level(tag, "white") || level(tag, "clear")) {
            return WHITE;
        }
        if (level(tag, "green")) {
            return GREEN;
        }
        if (level(tag, "amber") || level(tag, "amber+strict")) {
            return AMBER;
        }
        if (level(tag, "red")) {
            return RED;
        }
        return null;
    }
}
