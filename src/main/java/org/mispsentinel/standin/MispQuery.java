package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters of a restSearch request that the stand-in honours. Everything else a client sends is
 * recorded by {@link MispStandIn} but does not narrow the result.
 *
 * @param minTimestamp attribute timestamp lower bound, inclusive, epoch seconds
 * @param maxTimestamp attribute timestamp upper bound, inclusive, epoch seconds
 * @param toIds        null: both; otherwise only attributes with this {@code to_ids}
 * @param deleted      which attributes by their {@code deleted} flag
 * @param matchesNothing set for filters MISP silently turns into an empty result (a bad time string)
 */
public record MispQuery(long minTimestamp, long maxTimestamp, Boolean toIds, Deleted deleted, boolean matchesNothing) {

    public enum Deleted { EXCLUDE, ONLY, BOTH }

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*([dhms])");

    public static MispQuery all() {
        return new MispQuery(Long.MIN_VALUE, Long.MAX_VALUE, null, Deleted.EXCLUDE, false);
    }

    public static MispQuery since(long minTimestamp) {
        return new MispQuery(minTimestamp, Long.MAX_VALUE, null, Deleted.EXCLUDE, false);
    }

    public MispQuery withToIds(Boolean value) {
        return new MispQuery(minTimestamp, maxTimestamp, value, deleted, matchesNothing);
    }

    public MispQuery withDeleted(Deleted value) {
        return new MispQuery(minTimestamp, maxTimestamp, toIds, value, matchesNothing);
    }

    /** Reads the filters as MISP does, including its habit of accepting numbers as strings. */
    public static MispQuery fromRequest(JsonNode body, Clock clock) {
        long min = Long.MIN_VALUE;
        long max = Long.MAX_VALUE;
        boolean nothing = false;
        JsonNode time = body.hasNonNull("timestamp") ? body.get("timestamp") : body.get("attribute_timestamp");
        if (time != null && !time.isNull()) {
            if (time.isArray()) {
                Long from = time.size() > 0 ? timeValue(time.get(0), clock) : null;
                Long to = time.size() > 1 ? timeValue(time.get(1), clock) : null;
                nothing = from == null || (time.size() > 1 && to == null);
                min = from == null ? min : from;
                max = to == null ? max : to;
            } else {
                Long from = timeValue(time, clock);
                nothing = from == null;
                min = from == null ? min : from;
            }
        }
        Boolean toIds = null;
        JsonNode toIdsNode = body.get("to_ids");
        if (toIdsNode != null && !toIdsNode.isNull() && !toIdsNode.isArray()) {
            toIds = truthy(toIdsNode);
        }
        Deleted deleted = Deleted.EXCLUDE;
        JsonNode deletedNode = body.get("deleted");
        if (deletedNode != null && !deletedNode.isNull()) {
            if (deletedNode.isArray()) {
                deleted = deletedNode.size() > 1 ? Deleted.BOTH
                        : deletedNode.size() == 1 && truthy(deletedNode.get(0)) ? Deleted.ONLY : Deleted.EXCLUDE;
            } else {
                deleted = truthy(deletedNode) ? Deleted.ONLY : Deleted.EXCLUDE;
            }
        }
        return new MispQuery(min, max, toIds, deleted, nothing);
    }

    public boolean matches(ObjectNode attribute) {
        if (matchesNothing) {
            return false;
        }
        long timestamp = attribute.path("timestamp").asLong(0);
        if (timestamp < minTimestamp || timestamp > maxTimestamp) {
            return false;
        }
        if (toIds != null && attribute.path("to_ids").asBoolean(false) != toIds) {
            return false;
        }
        boolean isDeleted = attribute.path("deleted").asBoolean(false);
        return switch (deleted) {
            case EXCLUDE -> !isDeleted;
            case ONLY -> isDeleted;
            case BOTH -> true;
        };
    }

    /** @return null for a value MISP would not understand */
    private static Long timeValue(JsonNode node, Clock clock) {
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (!node.isTextual()) {
            return null;
        }
        String text = node.asText().trim();
        if (text.matches("\\d+")) {
            return Long.parseLong(text);
        }
        Matcher relative = RELATIVE.matcher(text);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            long seconds = switch (relative.group(2)) {
                case "d" -> amount * 86_400;
                case "h" -> amount * 3_600;
                case "m" -> amount * 60;
                default -> amount;
            };
            return clock.instant().getEpochSecond() - seconds;
        }
        return null;
    }

    private static boolean truthy(JsonNode node) {
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        String text = node.asText().trim();
        return text.equals("1") || text.equalsIgnoreCase("true");
    }
}
