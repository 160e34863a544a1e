package org.mispsentinel.misp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.mispsentinel.config.Settings;

/** Builds the JSON body of one {@code /attributes/restSearch} page request from the settings. */
public final class MispQuery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings.Misp misp;

    public MispQuery(Settings.Misp misp) {
        this.misp = misp;
    }

    /**
     * @param sinceEpochSeconds attribute timestamp lower bound (inclusive), or a negative number for
     *                          no bound
     * @param page              1-based
     */
    public byte[] page(long sinceEpochSeconds, int page) {
        ObjectNode body = JSON.createObjectNode();
        body.put("returnFormat", "json");
        body.put("page", page);
        body.put("limit", misp.pageSize());
        if (sinceEpochSeconds >= 0) {
            body.put("timestamp", sinceEpochSeconds);
        }
        if (misp.toIdsOnly()) {
            body.put("to_ids", true);
        }
        if (misp.publishedOnly()) {
            body.put("published", true);
        }
        if (misp.enforceWarninglist()) {
            body.put("enforceWarninglist", true);
        }
        // Soft-deleted attributes too (the mapper skips them): a deletion while paging then leaves the
        // result set as it was instead of shifting later attributes onto pages already read.
        body.putArray("deleted").add(0).add(1);
        if (misp.includeDecayScore() || misp.excludeDecayed()) {
            body.put("includeDecayScore", true);
        }
        if (misp.excludeDecayed()) {
            body.put("excludeDecayed", true);
        }
        body.put("includeEventTags", true);
        body.put("includeEventUuid", true);
        putOrNot(body, "tags", misp.tagsInclude(), misp.tagsExclude());
        putOrNot(body, "type", misp.typesInclude(), misp.typesExclude());
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
