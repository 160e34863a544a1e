package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What the in-memory MISP keeps of one event: the parts restSearch shows in an attribute's
 * {@code Event} block, its publication state and its tags. Guarded by the dataset's lock.
 */
final class MispEventState {

    final String id;
    final String uuid;
    String info;
    final String orgId;
    final String orgcId;
    ObjectNode orgc;
    final List<String> tags = new ArrayList<>();
    boolean published;
    long publishTimestamp;
    long timestamp;

    MispEventState(ObjectNode eventBlock, long timestamp) {
        this.id = eventBlock.path("id").asText();
        this.uuid = eventBlock.path("uuid").asText(MispAttributes.eventUuid(id));
        this.info = eventBlock.path("info").asText("Stand-in event " + id);
        this.orgId = eventBlock.path("org_id").asText("1");
        this.orgcId = eventBlock.path("orgc_id").asText("1");
        this.orgc = eventBlock.hasNonNull("Orgc") ? (ObjectNode) eventBlock.get("Orgc").deepCopy() : null;
        this.timestamp = timestamp;
    }

    /**
     * The {@code Event} block of an attribute. misp-api.md (observed): without {@code includeContext}
     * it has no {@code Orgc}, only {@code orgc_id}; with it, the event's {@code Orgc}, {@code Tag[]},
     * {@code published} and {@code date} as well.
     */
    ObjectNode block(boolean includeContext) {
        ObjectNode event = Json.object();
        event.put("id", id);
        event.put("info", info);
        event.put("org_id", orgId);
        event.put("orgc_id", orgcId);
        event.put("uuid", uuid);
        event.put("distribution", "0");
        event.put("publish_timestamp", Long.toString(publishTimestamp));
        if (includeContext) {
            event.put("published", published);
            event.put("timestamp", Long.toString(timestamp));
            event.put("date", Instant.ofEpochSecond(timestamp).atZone(ZoneOffset.UTC).toLocalDate().toString());
            ObjectNode org = orgc != null ? orgc.deepCopy() : Json.object();
            if (orgc == null) {
                org.put("id", orgcId);
                org.put("name", "ORGNAME-" + orgcId);
                org.put("uuid", MispAttributes.eventUuid("org-" + orgcId));
            }
            event.set("Orgc", org);
            ArrayNode eventTags = event.putArray("Tag");
            tags.forEach(name -> MispAttributes.addTag(eventTags, name, false));
        }
        return event;
    }

    /** MISP's edits of an event or its contents: the event's timestamp moves and it is unpublished. */
    void touched(long now) {
        timestamp = Math.max(timestamp, now);
        published = false;
    }
}
