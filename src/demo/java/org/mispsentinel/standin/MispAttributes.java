package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds attributes in the exact JSON shape of MISP's {@code /attributes/restSearch}: ids, timestamp
 * and distribution as strings, booleans for {@code to_ids}/{@code deleted}, {@code Tag} only when
 * there are tags. The product's reader is tested against this shape, so it must not drift.
 */
public final class MispAttributes {

    /** MISP's first_seen/last_seen format: microseconds and an explicit offset. */
    static final DateTimeFormatter SEEN_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private MispAttributes() {
    }

    public static Builder attribute(String type, String value) {
        return new Builder(type, value);
    }

    public static String seen(Instant instant) {
        return SEEN_FORMAT.format(instant);
    }

    /** Deterministic event uuid, so attributes built separately for one event agree on it. */
    static String eventUuid(String eventId) {
        return UUID.nameUUIDFromBytes(("misp-standin-event-" + eventId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String tagId(String name) {
        return Integer.toString(Math.floorMod(name.hashCode(), 9_000) + 1_000);
    }

    /** Writes a tag as MISP does: {@code inherited} 1 marks an event tag copied onto the attribute. */
    static void addTag(ArrayNode tags, String name, boolean inherited) {
        ObjectNode tag = tags.addObject();
        tag.put("id", tagId(name));
        tag.put("name", name);
        tag.put("inherited", inherited ? 1 : 0);
    }

    /**
     * A MISP object as {@code /objects/view} describes it, without its members: a dataset adds them
     * ({@link #asObjectMember}) when it is asked for the object.
     */
    public static ObjectNode object(long id, String uuid, String name, String metaCategory, long timestamp) {
        ObjectNode object = Json.object();
        object.put("id", Long.toString(id));
        object.put("name", name);
        object.put("meta-category", metaCategory);
        object.put("description", "Stand-in " + name + " object");
        object.put("template_uuid", UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
        object.put("template_version", "1");
        object.put("event_id", "1");
        object.put("uuid", uuid);
        object.put("timestamp", Long.toString(timestamp));
        object.put("distribution", "5");
        object.put("sharing_group_id", "0");
        object.put("comment", "");
        object.put("deleted", false);
        object.putNull("first_seen");
        object.putNull("last_seen");
        return object;
    }

    /**
     * An attribute in the shape {@code /objects/view} gives its members: no {@code Event}, and the
     * attribute's own tags under {@code AttributeTag[].Tag} instead of {@code Tag}.
     */
    static ObjectNode asObjectMember(ObjectNode attribute) {
        ObjectNode member = attribute.deepCopy();
        member.remove(List.of("Event", "Object", "event_uuid", "Tag"));
        ArrayNode attributeTags = member.putArray("AttributeTag");
        for (JsonNode tag : attribute.path("Tag")) {
            if (tag.path("inherited").asInt() == 0) {
                ObjectNode wrapper = attributeTags.addObject();
                wrapper.put("attribute_id", attribute.path("id").asText());
                wrapper.set("Tag", tag.deepCopy());
            }
        }
        return member;
    }

    public static final class Builder {
        private final String type;
        private final String value;
        private Long id;
        private String category;
        private boolean toIds;
        private String uuid;
        private Long timestamp;
        private String distribution = "5";
        private String comment = "";
        private boolean deleted;
        private Instant firstSeen;
        private Instant lastSeen;
        private String eventId = "1";
        private String eventInfo;
        private String eventUuid;
        private String orgId = "1";
        private String orgcId = "1";
        private String orgcName;
        private String orgcUuid;
        private String objectId = "0";
        private String objectRelation;
        private final List<String> tags = new ArrayList<>();
        private final List<String> eventTags = new ArrayList<>();
        private final Map<String, JsonNode> extra = new LinkedHashMap<>();

        private Builder(String type, String value) {
            this.type = Objects.requireNonNull(type, "type");
            this.value = Objects.requireNonNull(value, "value");
        }

        public Builder id(long id) {
            this.id = id;
            return this;
        }

        public boolean hasId() {
            return id != null;
        }

        public boolean hasTimestamp() {
            return timestamp != null;
        }

        public Builder category(String category) {
            this.category = category;
            return this;
        }

        public Builder toIds(boolean toIds) {
            this.toIds = toIds;
            return this;
        }

        public Builder uuid(String uuid) {
            this.uuid = uuid;
            return this;
        }

        public Builder timestamp(long epochSeconds) {
            this.timestamp = epochSeconds;
            return this;
        }

        public Builder timestamp(Instant instant) {
            return timestamp(instant.getEpochSecond());
        }

        public Builder distribution(int distribution) {
            this.distribution = Integer.toString(distribution);
            return this;
        }

        public Builder comment(String comment) {
            this.comment = comment;
            return this;
        }

        public Builder deleted(boolean deleted) {
            this.deleted = deleted;
            return this;
        }

        public Builder firstSeen(Instant firstSeen) {
            this.firstSeen = firstSeen;
            return this;
        }

        public Builder lastSeen(Instant lastSeen) {
            this.lastSeen = lastSeen;
            return this;
        }

        public Builder event(String eventId, String info) {
            this.eventId = eventId;
            this.eventInfo = info;
            return this;
        }

        public Builder eventUuid(String eventUuid) {
            this.eventUuid = eventUuid;
            return this;
        }

        public Builder org(String orgId, String orgcId) {
            this.orgId = orgId;
            this.orgcId = orgcId;
            return this;
        }

        /** Adds {@code Event.Orgc}, which MISP includes only in some versions and settings. */
        public Builder orgc(String name, String uuid) {
            this.orgcName = name;
            this.orgcUuid = uuid;
            return this;
        }

        public Builder inObject(String objectId, String relation) {
            this.objectId = objectId;
            this.objectRelation = relation;
            return this;
        }

        /** An attribute's own tag. */
        public Builder tag(String name) {
            tags.add(name);
            return this;
        }

        /** An event tag copied onto the attribute ({@code includeEventTags}). */
        public Builder eventTag(String name) {
            eventTags.add(name);
            return this;
        }

        /** Any other field, appended after the standard ones (e.g. to test tolerance of new fields). */
        public Builder field(String name, JsonNode value) {
            extra.put(name, value);
            return this;
        }

        public ObjectNode build() {
            long theId = id != null ? id : NEXT_ID.getAndIncrement();
            ObjectNode node = Json.object();
            node.put("id", Long.toString(theId));
            node.put("event_id", eventId);
            node.put("object_id", objectId);
            node.put("object_relation", objectRelation);
            node.put("category", category != null ? category : MispTypes.defaultCategory(type));
            node.put("type", type);
            node.put("value", value);
            node.put("to_ids", toIds);
            node.put("uuid", uuid != null ? uuid : UUID.randomUUID().toString());
            node.put("timestamp", Long.toString(timestamp != null ? timestamp : Instant.now().getEpochSecond()));
            node.put("distribution", distribution);
            node.put("comment", comment);
            node.put("deleted", deleted);
            node.put("first_seen", firstSeen == null ? null : seen(firstSeen));
            node.put("last_seen", lastSeen == null ? null : seen(lastSeen));
            String theEventUuid = eventUuid != null ? eventUuid : MispAttributes.eventUuid(eventId);
            node.put("event_uuid", theEventUuid);
            if (!"0".equals(objectId)) {
                // all that restSearch tells of an attribute's object
                ObjectNode object = node.putObject("Object");
                object.put("id", objectId);
                object.put("distribution", "5");
                object.put("sharing_group_id", "0");
            }
            ObjectNode event = node.putObject("Event");
            event.put("id", eventId);
            event.put("info", eventInfo != null ? eventInfo : "Stand-in event " + eventId);
            event.put("org_id", orgId);
            event.put("orgc_id", orgcId);
            event.put("uuid", theEventUuid);
            if (orgcName != null) {
                ObjectNode orgc = event.putObject("Orgc");
                orgc.put("id", orgcId);
                orgc.put("name", orgcName);
                orgc.put("uuid", orgcUuid);
            }
            if (!tags.isEmpty() || !eventTags.isEmpty()) {
                ArrayNode tagArray = node.putArray("Tag");
                tags.forEach(name -> addTag(tagArray, name, false));
                eventTags.forEach(name -> addTag(tagArray, name, true));
            }
            extra.forEach(node::set);
            return node;
        }
    }
}
