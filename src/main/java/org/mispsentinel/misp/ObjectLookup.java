package org.mispsentinel.misp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which MISP objects must be fetched, and the copies already fetched. {@code /attributes/restSearch}
 * names an attribute's object by id only, so the object's name and its other members come from
 * MISP apart. For each page, the objects its attributes need are read in bulk, by
 * {@code /objects/restSearch} on the page's events, so that a MISP full of objects costs requests
 * per page, not per object; an object that read does not bring (deleted since, in another event) is
 * asked for alone, by {@code /objects/view}. A copy serves while it stays current: an attribute
 * changed since the copy was taken makes it stale.
 */
public final class ObjectLookup {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int capacity;
    private final int bulkLimit;
    private final boolean enabled;
    // the bulk read of the current page
    private final Set<String> wantedIds = new HashSet<>();
    private final Set<String> wantedEvents = new HashSet<>();
    private int bulkPage;
    private boolean bulkPending;
    private final Map<String, Optional<MispObject>> fetched = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<MispObject>> eldest) {
            return size() > capacity;
        }
    };

    /**
     * @param pageSize attributes per MISP page: the copies kept are enough for two pages' objects, and
     *                 the bulk read asks for objects in pages of this size
     */
    public ObjectLookup(boolean enabled, int pageSize) {
        this.enabled = enabled;
        this.bulkLimit = pageSize;
        this.capacity = Math.max(128, 2 * pageSize);
    }

    /** Notes the objects this page's attributes need that no current copy holds. */
    public synchronized void planBulk(List<MispRecord> page) {
        wantedIds.clear();
        wantedEvents.clear();
        for (MispRecord record : page) {
            if (record instanceof MispAttribute attribute && needsLookup(fromCache(attribute))
                    && attribute.eventId() != null && isId(attribute.eventId())) {
                wantedIds.add(attribute.objectId());
                wantedEvents.add(attribute.eventId());
            }
        }
        bulkPage = 1;
        bulkPending = !wantedIds.isEmpty();
    }

    public synchronized boolean bulkPending() {
        return bulkPending;
    }

    /** The next {@code /objects/restSearch} body of this page's bulk read. */
    public synchronized byte[] nextBulkRequest() {
        return MispQuery.objectsOfEvents(wantedEvents, bulkLimit, bulkPage);
    }

    /** Keeps the wanted objects of one answer ({@code {"response": [{"Object": ...}]}}); a short page ends the read. */
    public synchronized void bulkReceived(int status, String contentType, InputStream body) {
        int objects = 0;
        try (InputStream in = body) {
            MispResponses.requireJson(status, contentType, in);
            try (JsonParser parser = JSON.getFactory().createParser(in)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new MispException("MISP's object search answer is not a JSON object", true);
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    if (parser.nextToken() == JsonToken.START_ARRAY && field.equals("response")) {
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            JsonNode object = JSON.<JsonNode>readTree(parser).path("Object");
                            objects++;
                            String id = object.path("id").asText();
                            if (wantedIds.remove(id)) {
                                fetched.put(id, Optional.of(MispObjectReader.toObject(object)));
                            }
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MispException("MISP object search answer is not valid JSON: " + e.getOriginalMessage(), true);
        } catch (IOException e) {
            throw new MispException("MISP object search answer could not be read: " + e.getMessage(), true);
        }
        bulkPage++;
        bulkPending = objects >= bulkLimit && !wantedIds.isEmpty();
    }

    /** The bulk read failed: whatever it did not bring is asked for object by object. */
    public synchronized void bulkFailed() {
        bulkPending = false;
    }

    /** The attribute with its object, when a current copy of that object was already fetched. */
    public synchronized MispAttribute fromCache(MispAttribute attribute) {
        if (!wanted(attribute)) {
            return attribute;
        }
        Optional<MispObject> copy = fetched.get(attribute.objectId());
        if (copy != null && copy.isPresent() && copy.get().isCurrentFor(attribute)) {
            return attribute.withObject(copy.get());
        }
        return attribute;
    }

    /** True when the attribute's object has to be asked of MISP: never fetched, or fetched before a change. */
    public synchronized boolean needsLookup(MispAttribute attribute) {
        if (!wanted(attribute) || attribute.object() != null) {
            return false;
        }
        Optional<MispObject> copy = fetched.get(attribute.objectId());
        // an object MISP did not have is not asked for again: the attribute goes out on its own
        return copy == null || copy.isPresent();
    }

    /** Keeps what MISP answered and returns the attribute with its object, or as it was if there is none. */
    public synchronized MispAttribute attach(MispAttribute attribute, Optional<MispObject> found) {
        fetched.put(attribute.objectId(), found);
        return found.map(attribute::withObject).orElse(attribute);
    }

    private boolean wanted(MispAttribute attribute) {
        return enabled && attribute.inObject() && isId(attribute.objectId());
    }

    /** Only a plain number goes into the request path, so no feed value can steer the URL. */
    private static boolean isId(String id) {
        if (id.length() > 19) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
