package org.mispsentinel.state;

/**
 * The keys and values of the state's maps as the text of a row: a letter for the type (s: text,
 * l: a 64-bit number, i: a 32-bit number), then the value. These are the only types the state
 * classes keep, and text keeps the rows readable to an operator with psql.
 */
final class StoredValues {

    private StoredValues() {
    }

    static String encode(String map, Object value) {
        if (value instanceof String s) {
            return "s" + s;
        }
        if (value instanceof Long l) {
            return "l" + l;
        }
        if (value instanceof Integer i) {
            return "i" + i;
        }
        throw new IllegalStateException("the state map " + map + " holds a " + value.getClass().getName()
                + ", which the PostgreSQL state does not keep (text and numbers only)");
    }

    static Object decode(String map, String stored) {
        if (stored.isEmpty()) {
            throw new IllegalStateException("an empty value in the state map " + map);
        }
        String value = stored.substring(1);
        return switch (stored.charAt(0)) {
            case 's' -> value;
            case 'l' -> Long.parseLong(value);
            case 'i' -> Integer.parseInt(value);
            default -> throw new IllegalStateException("a value of unknown type '" + stored.charAt(0)
                    + "' in the state map " + map + ": written by a newer misp-sentinel?");
        };
    }
}
