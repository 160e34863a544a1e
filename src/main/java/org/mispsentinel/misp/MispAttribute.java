package org.mispsentinel.misp;

import java.time.Instant;
import java.util.List;

/**
 * One attribute from {@code /attributes/restSearch}, reduced to what the mapping and the delivery
 * bookkeeping use. Built by {@link MispPageReader}, which rejects what cannot be represented here.
 *
 * @param timestamp   attribute timestamp, epoch seconds (MISP sends it as a string)
 * @param firstSeen   null when MISP has none
 * @param lastSeen    null when MISP has none
 * @param eventUuid   null when the response carried neither {@code event_uuid} nor {@code Event.uuid}
 * @param orgcUuid    uuid of the organisation that created the event, when MISP included it
 * @param objectId    "0" or null when the attribute is not part of a MISP object
 * @param tags        attribute tags followed by inherited event tags, never null
 * @param decayScore  MISP's decaying-model score (0..100, the highest of its models), or null when
 *                    MISP sent none
 * @param object      the MISP object the attribute belongs to, once looked up; null before, and for
 *                    attributes outside objects
 */
public record MispAttribute(
        String uuid,
        String type,
        String category,
        String value,
        boolean toIds,
        boolean deleted,
        long timestamp,
        Instant firstSeen,
        Instant lastSeen,
        String comment,
        String eventId,
        String eventUuid,
        String eventInfo,
        String orgcUuid,
        String orgcName,
        String objectId,
        String objectName,
        String objectRelation,
        List<MispTag> tags,
        Double decayScore,
        MispObject object) implements MispRecord {

    public MispAttribute {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** As read from a restSearch page: the object not yet looked up. */
    public MispAttribute(String uuid, String type, String category, String value, boolean toIds, boolean deleted,
                         long timestamp, Instant firstSeen, Instant lastSeen, String comment, String eventId,
                         String eventUuid, String eventInfo, String orgcUuid, String orgcName, String objectId,
                         String objectName, String objectRelation, List<MispTag> tags, Double decayScore) {
        this(uuid, type, category, value, toIds, deleted, timestamp, firstSeen, lastSeen, comment, eventId, eventUuid,
                eventInfo, orgcUuid, orgcName, objectId, objectName, objectRelation, tags, decayScore, null);
    }

    /** Without a decay score, as MISP answers unless asked with {@code includeDecayScore}. */
    public MispAttribute(String uuid, String type, String category, String value, boolean toIds, boolean deleted,
                         long timestamp, Instant firstSeen, Instant lastSeen, String comment, String eventId,
                         String eventUuid, String eventInfo, String orgcUuid, String orgcName, String objectId,
                         String objectName, String objectRelation, List<MispTag> tags) {
        this(uuid, type, category, value, toIds, deleted, timestamp, firstSeen, lastSeen, comment, eventId, eventUuid,
                eventInfo, orgcUuid, orgcName, objectId, objectName, objectRelation, tags, null, null);
    }

    /** This attribute with the object it belongs to, whose name then names it too. */
    public MispAttribute withObject(MispObject found) {
        return new MispAttribute(uuid, type, category, value, toIds, deleted, timestamp, firstSeen, lastSeen, comment,
                eventId, eventUuid, eventInfo, orgcUuid, orgcName, objectId,
                found.name() != null ? found.name() : objectName, objectRelation, tags, decayScore, found);
    }

    @Override
    public boolean malformed() {
        return false;
    }

    /**
     * Cheap, and consistent with the record's equals: Camel's expression caches hash the message
     * body once per attribute, and the generated hash would walk every field and tag.
     */
    @Override
    public int hashCode() {
        return uuid == null ? 0 : uuid.hashCode() * 31 + Long.hashCode(timestamp);
    }

    /**
     * Changes whenever MISP changes the attribute, so an update is delivered again. The timestamp
     * comes first, zero-padded: MISP hands attributes out roughly in timestamp order, so the keys of
     * one batch sit side by side in the dedup store and a commit rewrites a few pages, not one per key.
     */
    public String deliveryKey() {
        return padded(Long.toString(timestamp), uuid);
    }

    /**
     * Names the attribute whatever MISP changes in it: its event and uuid. The event comes first,
     * zero-padded, for the same reason as in {@link #deliveryKey}: attributes of one event arrive
     * together, and their entries then share pages in the store.
     */
    public String stableKey() {
        return padded(eventId == null ? "" : eventId, uuid);
    }

    private static String padded(String prefix, String uuid) {
        StringBuilder key = new StringBuilder(13 + prefix.length() + uuid.length());
        for (int i = prefix.length(); i < 12; i++) {
            key.append('0');
        }
        return key.append(prefix).append('/').append(uuid).toString();
    }

    /** No longer a detection in MISP: deleted, or {@code to_ids} cleared. */
    public boolean withdrawn() {
        return deleted || !toIds;
    }

    public boolean inObject() {
        return objectId != null && !objectId.isEmpty() && !"0".equals(objectId);
    }
}
