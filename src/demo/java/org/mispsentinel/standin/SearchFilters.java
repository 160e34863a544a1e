package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters of a restSearch request that the stand-in honours, read the way MISP reads them
 * (MispAttribute::buildFilterConditions and Event::set_filter_timestamp / set_filter_published in
 * MISP's app/Model). Everything else a client sends is recorded by {@link MispStandIn} but does not
 * narrow the result.
 *
 * @param attributeTimestamp {@code timestamp} / {@code attribute_timestamp}: Attribute.timestamp
 * @param publishTimestamp   {@code publish_timestamp} (and {@code last}): Event.publish_timestamp
 * @param eventTimestamp     {@code event_timestamp}: Event.timestamp
 * @param toIds              null: both; otherwise only attributes with this {@code to_ids}
 * @param published          null: no filter ({@code false} or absent, as observed); else Event.published
 * @param eventIds           {@code eventid}: null for no filter
 * @param uuids              {@code uuid}: {@code Attribute.uuid IN (...)}, and every attribute of an event
 *                           whose uuid is listed (MispAttribute::set_filter_uuid); null for no filter
 * @param types              {@code type}: one, a list, or {@code {"OR": [...], "NOT": [...]}}
 * @param tags               {@code tags}: matched against the attribute's and its event's tags (observed);
 *                           a list, or {@code {"OR"/"AND"/"NOT": [...]}}
 * @param deleted            which attributes by their {@code deleted} flag
 * @param order              {@code order}, empty when none was sent (MISP then adds no ORDER BY)
 * @param matchesNothing     set for filters MISP silently turns into an empty result (a bad time string)
 */
public record SearchFilters(Range attributeTimestamp, Range publishTimestamp, Range eventTimestamp, Boolean toIds,
                            Boolean published, Set<String> eventIds, Set<String> uuids, Terms types, Terms tags, Deleted deleted,
                            List<OrderKey> order,
                            boolean enforceWarninglist, boolean excludeDecayed, boolean includeContext,
                            boolean includeEventTags, boolean matchesNothing) {

    public enum Deleted { EXCLUDE, ONLY, BOTH }

    /** An inclusive range of epoch seconds. */
    public record Range(long min, long max) {
        public static final Range ALL = new Range(Long.MIN_VALUE, Long.MAX_VALUE);

        public boolean contains(long value) {
            return value >= min && value <= max;
        }
    }

    /** A restSearch list filter: any of {@code or}, all of {@code and}, none of {@code not}; empty lists do not filter. */
    public record Terms(Set<String> or, Set<String> and, Set<String> not) {
        static final Terms NONE = new Terms(Set.of(), Set.of(), Set.of());

        static Terms of(JsonNode node) {
            if (node == null || node.isNull()) {
                return NONE;
            }
            if (!node.isObject()) {
                return new Terms(texts(node), Set.of(), Set.of());
            }
            return new Terms(texts(node.get("OR")), texts(node.get("AND")), texts(node.get("NOT")));
        }

        private static Set<String> texts(JsonNode node) {
            Set<String> values = new HashSet<>();
            if (node != null && node.isArray()) {
                node.forEach(value -> values.add(value.asText()));
            } else if (node != null && !node.isNull()) {
                values.add(node.asText());
            }
            return values;
        }

        /** True when {@code values} (the attribute's type, or its tags) pass this filter. */
        public boolean matches(Set<String> values) {
            return (or.isEmpty() || or.stream().anyMatch(values::contains)) && values.containsAll(and)
                    && not.stream().noneMatch(values::contains);
        }
    }

    /** One {@code "Model.field asc|desc"} of {@code order}. */
    public record OrderKey(String field, boolean descending) {
    }

    /** The columns MISP lets restSearch order attributes by (MispAttribute::restSearch, findOrder). */
    static final Set<String> ORDER_FIELDS = Set.of("Attribute.id", "Attribute.event_id", "Attribute.timestamp",
            "Event.publish_timestamp");

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*([dhms])");

    public static SearchFilters all() {
        return new SearchFilters(Range.ALL, Range.ALL, Range.ALL, null, null, null, null, Terms.NONE, Terms.NONE,
                Deleted.EXCLUDE, List.of(), false, false, false, false, false);
    }

    public static SearchFilters since(long minTimestamp) {
        return all().withAttributeTimestamp(new Range(minTimestamp, Long.MAX_VALUE));
    }

    public SearchFilters withAttributeTimestamp(Range value) {
        return new SearchFilters(value, publishTimestamp, eventTimestamp, toIds, published, eventIds, uuids, types, tags,
                deleted, order, enforceWarninglist, excludeDecayed, includeContext, includeEventTags, matchesNothing);
    }

    public SearchFilters withToIds(Boolean value) {
        return new SearchFilters(attributeTimestamp, publishTimestamp, eventTimestamp, value, published, eventIds, uuids,
                types, tags, deleted, order, enforceWarninglist, excludeDecayed, includeContext, includeEventTags,
                matchesNothing);
    }

    public SearchFilters withDeleted(Deleted value) {
        return new SearchFilters(attributeTimestamp, publishTimestamp, eventTimestamp, toIds, published, eventIds, uuids,
                types, tags, value, order, enforceWarninglist, excludeDecayed, includeContext, includeEventTags,
                matchesNothing);
    }

    public SearchFilters withOrder(List<OrderKey> value) {
        return new SearchFilters(attributeTimestamp, publishTimestamp, eventTimestamp, toIds, published, eventIds, uuids,
                types, tags, deleted, List.copyOf(value), enforceWarninglist, excludeDecayed, includeContext,
                includeEventTags, matchesNothing);
    }

    /**
     * Reads the filters as MISP does, including its habit of accepting numbers as strings.
     *
     * @throws IllegalArgumentException for an {@code order} on a column MISP does not allow
     */
    public static SearchFilters fromRequest(JsonNode body, Clock clock) {
        boolean[] nothing = {false};
        JsonNode attributeTime = body.hasNonNull("timestamp") ? body.get("timestamp") : body.get("attribute_timestamp");
        Range attribute = range(attributeTime, clock, nothing);
        Range publish = range(body.hasNonNull("publish_timestamp") ? body.get("publish_timestamp") : body.get("last"),
                clock, nothing);
        Range event = range(body.get("event_timestamp"), clock, nothing);
        Boolean toIds = null;
        JsonNode toIdsNode = body.get("to_ids");
        if (toIdsNode != null && !toIdsNode.isNull() && !toIdsNode.isArray()) {
            toIds = truthy(toIdsNode);
        }
        Boolean published = null;
        JsonNode publishedNode = body.get("published");
        // misp-api.md (observed): true/1 only published, 0 only unpublished, false or absent no filter
        if (publishedNode != null && !publishedNode.isNull() && !publishedNode.isArray()
                && !(publishedNode.isBoolean() && !publishedNode.booleanValue())) {
            published = truthy(publishedNode);
        }
        Set<String> eventIds = values(body.get("eventid"));
        Deleted deleted = Deleted.EXCLUDE;
        JsonNode deletedNode = body.get("deleted");
        if (deletedNode != null && !deletedNode.isNull()) {
            if (deletedNode.isArray()) {
                deleted = deletedNode.size() > 1 ? Deleted.BOTH
                        : deletedNode.size() == 1 && truthy(deletedNode.get(0)) ? Deleted.ONLY : Deleted.EXCLUDE;
            } else {
                deleted = truthy(deletedNode) || "only".equals(deletedNode.asText()) ? Deleted.ONLY : Deleted.EXCLUDE;
            }
        }
        return new SearchFilters(attribute, publish, event, toIds, published, eventIds, values(body.get("uuid")),
                Terms.of(body.get("type")),
                Terms.of(body.get("tags")), deleted, order(body.get("order")),
                flag(body, "enforceWarninglist"), flag(body, "excludeDecayed"), flag(body, "includeContext"),
                flag(body, "includeEventTags"), nothing[0]);
    }

    /** One value or a list of them; null when the filter is not there. */
    private static Set<String> values(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        Set<String> values = new HashSet<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    private static boolean flag(JsonNode body, String name) {
        JsonNode node = body.get(name);
        return node != null && !node.isNull() && truthy(node);
    }

    private static List<OrderKey> order(JsonNode node) {
        List<OrderKey> keys = new ArrayList<>();
        if (node == null || node.isNull()) {
            return keys;
        }
        List<String> parts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(part -> parts.add(part.asText()));
        } else {
            parts.add(node.asText());
        }
        for (String part : parts) {
            String[] words = part.trim().split("\\s+");
            String field = words[0].contains(".") ? words[0] : "Attribute." + words[0];
            if (!ORDER_FIELDS.contains(field)) {
                throw new IllegalArgumentException("order by " + field + " is not allowed");
            }
            keys.add(new OrderKey(field, words.length > 1 && words[1].equalsIgnoreCase("desc")));
        }
        return keys;
    }

    /** True when an event in this state passes the event-level filters. */
    public boolean matchesEvent(String eventId, boolean eventPublished, long eventPublishTimestamp, long eventTime) {
        if (matchesNothing) {
            return false;
        }
        if (eventIds != null && !eventIds.contains(eventId)) {
            return false;
        }
        if (published != null && published != eventPublished) {
            return false;
        }
        return publishTimestamp.contains(eventPublishTimestamp) && eventTimestamp.contains(eventTime);
    }

    /** True when no {@code uuid} filter was sent, or it lists this attribute's uuid or its event's. */
    public boolean matchesUuid(String uuid, String eventUuid) {
        return uuids == null || uuids.contains(uuid) || uuids.contains(eventUuid);
    }

    /** True when an attribute passes the attribute-level filters (its event's are {@link #matchesEvent}). */
    public boolean matchesAttribute(long timestamp, boolean attributeToIds, boolean isDeleted) {
        if (matchesNothing || !attributeTimestamp.contains(timestamp)) {
            return false;
        }
        if (toIds != null && attributeToIds != toIds) {
            return false;
        }
        return switch (deleted) {
            case EXCLUDE -> !isDeleted;
            case ONLY -> isDeleted;
            case BOTH -> true;
        };
    }

    private static Range range(JsonNode time, Clock clock, boolean[] nothing) {
        if (time == null || time.isNull()) {
            return Range.ALL;
        }
        if (time.isArray()) {
            Long from = time.size() > 0 ? timeValue(time.get(0), clock) : null;
            Long to = time.size() > 1 ? timeValue(time.get(1), clock) : null;
            nothing[0] |= from == null || (time.size() > 1 && to == null);
            return new Range(from == null ? Long.MIN_VALUE : from, to == null ? Long.MAX_VALUE : to);
        }
        Long from = timeValue(time, clock);
        nothing[0] |= from == null;
        return new Range(from == null ? Long.MIN_VALUE : from, Long.MAX_VALUE);
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
