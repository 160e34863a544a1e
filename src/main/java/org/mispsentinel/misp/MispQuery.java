package org.mispsentinel.misp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import org.mispsentinel.config.Settings;

/** Builds the JSON bodies of {@code /attributes/restSearch} requests from the settings. */
public final class MispQuery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings.Misp misp;
    private final boolean includeContext;

    /** @param includeContext ask for each attribute's whole event, for its creator organisation ({@code Orgc}) */
    public MispQuery(Settings.Misp misp, boolean includeContext) {
        this.misp = misp;
        this.includeContext = includeContext;
    }

    /**
     * One page of a pass, in (attribute timestamp, id) order so that paging is stable.
     *
     * @param since  the window's lower bound on the pass's event filter (inclusive), negative for none
     * @param until  its upper bound (inclusive), negative for none
     * @param from   keyset: attributes with a timestamp at or after this, negative for no bound
     * @param page   1-based, within the keyset
     */
    public byte[] page(ReadPass pass, long since, long until, long from, int page) {
        return write(body(pass, since, until, from, page, misp.pageSize()));
    }

    /** One page of the attributes of one second, {@code timestamp}, by offset. */
    public byte[] second(ReadPass pass, long since, long until, long timestamp, int page) {
        ObjectNode body = body(pass, since, until, -1, page, misp.pageSize());
        body.putArray("timestamp").add(timestamp).add(timestamp);
        return write(body);
    }

    /**
     * How many attributes one pass over the window from {@code since} matches now, counted by MISP:
     * {@code returnFormat: count} (MISP's CountExport, since 2.4.131) answers one number for the
     * whole match, after the warninglists and decaying models, without sending the attributes. Only
     * what narrows the match is asked; soft-deleted attributes, which a cycle also reads to revoke
     * them, are not counted.
     *
     * @param since the window's lower bound (inclusive), negative for none
     */
    public byte[] count(ReadPass pass, long since) {
        ObjectNode body = JSON.createObjectNode();
        body.put("returnFormat", "count");
        window(body, pass, since, -1);
        matching(body);
        return write(body);
    }

    /**
     * One page of the attributes with these uuids, under every filter of a cycle but its window: what
     * a refresh asks for, to send again only what MISP still shows as a detection.
     *
     * <p>MISP 2.5.1 (app/Model/MispAttribute.php, buildFilterConditions and set_filter_uuid;
     * AppModel::convert_filters): a JSON list of uuids becomes {@code Attribute.uuid IN (...)}, ANDed
     * with the other filters, which keep their meaning: {@code to_ids} ({@code Attribute.to_ids}),
     * {@code published} ({@code Event.published}) and {@code deleted} ({@code [0,1]}: deleted ones come
     * back marked deleted, so a withdrawal shows) apply to the listed attributes as to any others, and
     * a listed uuid that matches none of them, or no attribute at all, is simply absent from the answer.
     * An entry starting with {@code !} would be a NOT; uuids never do. One quirk: when a listed uuid is
     * also an event's uuid, every attribute of that event matches too, so callers keep only the
     * attributes they asked for.
     */
    public byte[] byUuids(Collection<String> uuids, int page) {
        // no window, so no pass to apply one to
        ObjectNode body = body(null, -1, -1, -1, page, misp.pageSize());
        ArrayNode list = body.putArray("uuid");
        uuids.forEach(list::add);
        return write(body);
    }

    /** One page of {@code /objects/restSearch}: the objects of these events, with their members. */
    static byte[] objectsOfEvents(Collection<String> eventIds, int limit, int page) {
        ObjectNode body = JSON.createObjectNode();
        body.put("returnFormat", "json");
        ArrayNode events = body.putArray("eventid");
        eventIds.stream().sorted().forEach(events::add);
        body.put("limit", limit);
        body.put("page", page);
        return write(body);
    }

    private ObjectNode body(ReadPass pass, long since, long until, long from, int page, int limit) {
        ObjectNode body = JSON.createObjectNode();
        body.put("returnFormat", "json");
        body.put("page", page);
        body.put("limit", limit);
        // Without order MISP adds no ORDER BY, and offset paging over an unordered result can skip rows.
        body.putArray("order").add("Attribute.timestamp asc").add("Attribute.id asc");
        if (from > 0) {
            body.put("timestamp", from);
        }
        window(body, pass, since, until);
        matching(body);
        // Soft-deleted attributes too: Sentinel may hold them, and they are revoked there.
        body.putArray("deleted").add(0).add(1);
        if (misp.includeDecayScore()) {
            body.put("includeDecayScore", true);
        }
        body.put("includeEventTags", true);
        body.put("includeEventUuid", true);
        if (includeContext) {
            body.put("includeContext", true);
        }
        return body;
    }

    private static void window(ObjectNode body, ReadPass pass, long since, long until) {
        if (until >= 0) {
            // MISP takes [from, to] inclusive and skips a lower bound of 0
            body.putArray(pass.eventFilter()).add(Math.max(0, since)).add(until);
        } else if (since >= 0) {
            body.put(pass.eventFilter(), since);
        }
    }

    /** The filters of the settings: which attributes MISP hands over at all. */
    private void matching(ObjectNode body) {
        if (misp.toIdsOnly()) {
            body.put("to_ids", true);
        }
        if (misp.publishedOnly()) {
            body.put("published", true);
        }
        if (misp.enforceWarninglist()) {
            body.put("enforceWarninglist", true);
        }
        if (misp.excludeDecayed()) {
            // MISP scores only what it is asked to score
            body.put("includeDecayScore", true);
            body.put("excludeDecayed", true);
        }
        putOrNot(body, "tags", misp.tagsInclude(), misp.tagsExclude());
        putOrNot(body, "type", misp.typesInclude(), misp.typesExclude());
    }

    private static byte[] write(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putOrNot(ObjectNode body, String field, List<String> include, List<String> exclude) {
        if (include.isEmpty() && exclude.isEmpty()) {
            return;
        }
        ObjectNode filter = body.putObject(field);
        if (!include.isEmpty()) {
            ArrayNode or = filter.putArray("OR");
            include.forEach(or::add);
        }
        if (!exclude.isEmpty()) {
            ArrayNode not = filter.putArray("NOT");
            exclude.forEach(not::add);
        }
    }
}
