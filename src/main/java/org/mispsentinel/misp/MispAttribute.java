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
     * Changes whenever what Sentinel would hold of the attribute changes, so that it is delivered
     * again then, and only then: the attribute's own timestamp, and a hash of everything the mapping
     * reads, including what MISP changes without touching the attribute's timestamp (its event's
     * tags and title, its creator organisation, the object it belongs to). The timestamp comes first,
     * zero-padded: MISP hands attributes out in timestamp order, so the keys of one batch sit side by
     * side in the dedup store and a commit rewrites a few pages, not one per key.
     */
    public String deliveryKey() {
        return padded(Long.toString(timestamp), uuid) + "/" + Long.toHexString(contentHash());
    }

    /** FNV-1a over the fields the mapping reads; the separators keep ("ab","c") apart from ("a","bc"). */
    private long contentHash() {
        long hash = 0xcbf29ce484222325L;
        for (Object part : new Object[] {type, category, value, toIds, deleted, firstSeen, lastSeen, comment, eventId,
                eventUuid, eventInfo, orgcUuid, orgcName, objectId, objectRelation, decayScore}) {
            hash = mix(hash, String.valueOf(part));
        }
        for (MispTag tag : tags) {
            hash = mix(hash, (tag.inherited() ? "e:" : "a:") + tag.name());
        }
        return hash;
    }

    private static long mix(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return (hash ^ 0x1F) * 0x100000001b3L;
    }

    /**
     * Names the attribute whatever MISP changes in it: its event and uuid. The event comes first,
     * zero-padded, for the same reason as in {@link #deliveryKey}: attributes of one event arrive
     * together, and their entries then share pages in the store.
     */
    public String stableKey() {
        return padded(eventId == null ? "" : eventId, uuid);
    }

    /**
     * True for a key of {@link #stableKey}'s shape: the event id padded to at least 12 digits, a slash
     * and the uuid. States of some older versions kept bare uuids instead.
     */
    public static boolean isStableKey(String key) {
        return key != null && STABLE_KEY.matcher(key).matches();
    }

    private static final java.util.regex.Pattern STABLE_KEY = java.util.regex.Pattern.compile(
            "\\d{12,}/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

    /** The uuid part of a {@link #stableKey}. */
    public static String uuidOfStableKey(String stableKey) {
        return stableKey.substring(stableKey.lastIndexOf('/') + 1);
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
