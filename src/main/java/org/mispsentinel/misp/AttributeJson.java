package org.mispsentinel.misp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one attribute's JSON into a {@link MispAttribute}, or into a {@link MalformedAttribute} that
 * names what is wrong. Strict where a wrong guess would send a wrong indicator (uuid, type, value,
 * timestamp), tolerant where MISP versions differ (booleans as 0/1, ids as numbers).
 */
final class AttributeJson {

    private AttributeJson() {
    }

    static MispRecord toRecord(JsonNode node) {
        if (!node.isObject()) {
            return new MalformedAttribute("?", "?", "not-an-object", "element of Attribute[] is not an object");
        }
        String type = node.path("type").isTextual() ? LogLine.clip(node.get("type").asText(), 40) : "?";
        String uuid = node.path("uuid").isTextual() ? node.get("uuid").asText() : null;
        if (uuid == null || uuid.isBlank() || uuid.length() > 64) {
            return new MalformedAttribute("?", type, "malformed-uuid", "missing or invalid uuid");
        }
        try {
            return new MispAttribute(
                    uuid,
                    requiredText(node, "type"),
                    optionalText(node, "category"),
                    requiredText(node, "value"),
                    bool(node, "to_ids"),
                    bool(node, "deleted"),
                    timestamp(node),
                    instant(node, "first_seen"),
                    instant(node, "last_seen"),
                    optionalText(node, "comment"),
                    optionalText(node, "event_id"),
                    eventUuid(node),
                    optionalText(node.path("Event"), "info"),
                    optionalText(node.path("Event").path("Orgc"), "uuid"),
                    optionalText(node.path("Event").path("Orgc"), "name"),
                    optionalText(node, "object_id"),
                    optionalText(node.path("Object"), "name"),
                    optionalText(node, "object_relation"),
                    tags(node),
                    decayScore(node));
        } catch (Malformed e) {
            return new MalformedAttribute(LogLine.clip(uuid, 64), type, e.reason, e.getMessage());
        }
    }

    /** Why a field could not be read: a stable reason for the counts, a sentence for the log. */
    private static final class Malformed extends IllegalArgumentException {
        final String reason;

        Malformed(String reason, String detail) {
            super(detail, null);
            this.reason = reason;
        }
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new Malformed("missing-field", "missing " + field);
        }
        if (!v.isTextual()) {
            throw new Malformed("wrong-json-type", field + " is " + v.getNodeType().name().toLowerCase() + ", not a string");
        }
        return v.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        return v.asText();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber() || v.isTextual()) {
            String s = v.asText();
            if (s.equals("1") || s.equalsIgnoreCase("true")) {
                return true;
            }
            if (s.equals("0") || s.equalsIgnoreCase("false") || s.isEmpty()) {
                return false;
            }
        }
        throw new Malformed("wrong-json-type", field + " is not a boolean");
    }

    private static long timestamp(JsonNode node) {
        JsonNode v = node.get("timestamp");
        if (v == null || v.isNull()) {
            throw new Malformed("missing-field", "missing timestamp");
        }
        long value;
        try {
            value = v.isNumber() ? v.longValue() : Long.parseLong(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new Malformed("malformed-timestamp", "timestamp is not epoch seconds");
        }
        if (value < 0 || value > 253_402_300_799L) {
            throw new Malformed("malformed-timestamp", "timestamp out of range");
        }
        return value;
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new Malformed("malformed-date", field + " is not an ISO 8601 date-time");
        }
    }

    private static String eventUuid(JsonNode node) {
        String direct = optionalText(node, "event_uuid");
        return direct != null ? direct : optionalText(node.path("Event"), "uuid");
    }

    /** The best score over MISP's decaying models; null when MISP sent none or none is a number. */
    private static Double decayScore(JsonNode node) {
        Double best = null;
        for (JsonNode model : node.path("decay_score")) {
            JsonNode score = model.get("score");
            if (score != null && score.isNumber() && Double.isFinite(score.doubleValue())) {
                double value = Math.max(0, Math.min(100, score.doubleValue()));
                best = best == null ? value : Math.max(best, value);
            }
        }
        return best;
    }

    /** {@code Tag[]} in restSearch results; {@code AttributeTag[].Tag} in the members of {@code /objects/view}. */
    private static List<MispTag> tags(JsonNode node) {
        JsonNode tags = node.get("Tag");
        boolean wrapped = false;
        if (tags == null || !tags.isArray()) {
            tags = node.get("AttributeTag");
            wrapped = true;
            if (tags == null || !tags.isArray()) {
                return List.of();
            }
        }
        List<MispTag> out = new ArrayList<>(tags.size());
        for (JsonNode element : tags) {
            JsonNode tag = wrapped ? element.path("Tag") : element;
            if (tag.path("name").isTextual()) {
                JsonNode inherited = tag.get("inherited");
                out.add(new MispTag(tag.get("name").asText(),
                        inherited != null && (inherited.asBoolean() || "1".equals(inherited.asText()))));
            }
        }
        return out;
    }
}
