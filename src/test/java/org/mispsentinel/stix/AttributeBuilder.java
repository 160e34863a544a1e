package org.mispsentinel.stix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispTag;

/** Test attributes with sensible defaults; each setter returns the builder. */
final class AttributeBuilder {

    static final String UUID = "5f1e3a7c-2b4d-4e6f-8a9b-0c1d2e3f4a5b";
    static final String EVENT_UUID = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
    /** 2023-11-14T22:13:20Z. */
    static final long TIMESTAMP = 1_700_000_000L;

    String uuid = UUID;
    String type = "ip-dst";
    String category = "Network activity";
    String value = "198.51.100.7";
    boolean toIds = true;
    boolean deleted;
    long timestamp = TIMESTAMP;
    Instant firstSeen;
    Instant lastSeen;
    String comment;
    String eventId = "42";
    String eventUuid = EVENT_UUID;
    String eventInfo;
    String orgcUuid;
    String orgcName;
    String objectId = "0";
    String objectName;
    String objectRelation;
    final List<MispTag> tags = new ArrayList<>();

    static AttributeBuilder attribute(String type, String value) {
        AttributeBuilder b = new AttributeBuilder();
        b.type = type;
        b.value = value;
        return b;
    }

    AttributeBuilder uuid(String v) {
        uuid = v;
        return this;
    }

    AttributeBuilder category(String v) {
        category = v;
        return this;
    }

    AttributeBuilder toIds(boolean v) {
        toIds = v;
        return this;
    }

    AttributeBuilder deleted(boolean v) {
        deleted = v;
        return this;
    }

    AttributeBuilder timestamp(long v) {
        timestamp = v;
        return this;
    }

    AttributeBuilder firstSeen(Instant v) {
        firstSeen = v;
        return this;
    }

    AttributeBuilder lastSeen(Instant v) {
        lastSeen = v;
        return this;
    }

    AttributeBuilder comment(String v) {
        comment = v;
        return this;
    }

    AttributeBuilder eventUuid(String v) {
        eventUuid = v;
        return this;
    }

    AttributeBuilder eventInfo(String v) {
        eventInfo = v;
        return this;
    }

    AttributeBuilder orgc(String uuid, String name) {
        orgcUuid = uuid;
        orgcName = name;
        return this;
    }

    AttributeBuilder object(String id, String name, String relation) {
        objectId = id;
        objectName = name;
        objectRelation = relation;
        return this;
    }

    AttributeBuilder tag(String name) {
        tags.add(new MispTag(name, false));
        return this;
    }

    AttributeBuilder eventTag(String name) {
        tags.add(new MispTag(name, true));
        return this;
    }

    MispAttribute build() {
        return new MispAttribute(uuid, type, category, value, toIds, deleted, timestamp, firstSeen, lastSeen,
                comment, eventId, eventUuid, eventInfo, orgcUuid, orgcName, objectId, objectName, objectRelation,
                tags);
    }
}
