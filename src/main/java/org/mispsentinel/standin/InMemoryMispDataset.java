package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * A mutable dataset for tests: attributes can be added or changed between two pages or two polls,
 * as they are on a live MISP. Adding an attribute with an id already present replaces it (an edit).
 */
public final class InMemoryMispDataset implements MispDataset {

    private final ConcurrentSkipListMap<Long, ObjectNode> attributes = new ConcurrentSkipListMap<>();
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();

    /** Stores a copy; an attribute without an id gets the next free one. @return the stored copy */
    public synchronized ObjectNode add(ObjectNode attribute) {
        ObjectNode copy = attribute.deepCopy();
        long id;
        if (copy.hasNonNull("id")) {
            id = copy.get("id").asLong();
        } else {
            id = nextId();
            copy.put("id", Long.toString(id));
        }
        attributes.put(id, copy);
        return copy.deepCopy();
    }

    /** Builds with the next free id unless the builder has one. */
    public synchronized ObjectNode add(MispAttributes.Builder builder) {
        if (!builder.hasId()) {
            builder.id(nextId());
        }
        return add(builder.build());
    }

    /**
     * Adds or replaces an object ({@link MispAttributes#object}); its members are the attributes whose
     * {@code object_id} names it, whenever they are added.
     */
    public void addObject(ObjectNode object) {
        objects.put(object.get("id").asText(), object.deepCopy());
    }

    @Override
    public Optional<ObjectNode> object(String id) {
        ObjectNode meta = objects.get(id);
        if (meta == null) {
            return Optional.empty();
        }
        ObjectNode object = meta.deepCopy();
        ArrayNode members = object.putArray("Attribute");
        attributes.values().stream()
                .filter(a -> id.equals(a.path("object_id").asText()) && !a.path("deleted").asBoolean())
                .forEach(a -> members.add(MispAttributes.asObjectMember(a)));
        return Optional.of(object);
    }

    public Optional<ObjectNode> get(long id) {
        return Optional.ofNullable(attributes.get(id)).map(ObjectNode::deepCopy);
    }

    public boolean remove(long id) {
        return attributes.remove(id) != null;
    }

    public void clear() {
        attributes.clear();
        objects.clear();
    }

    public int size() {
        return attributes.size();
    }

    private long nextId() {
        return attributes.isEmpty() ? 1 : attributes.lastKey() + 1;
    }

    @Override
    public int size(MispQuery query) {
        return (int) attributes.values().stream().filter(query::matches).count();
    }

    @Override
    public Stream<ObjectNode> page(MispQuery query, long offset, int limit) {
        return attributes.values().stream()
                .filter(query::matches)
                .skip(offset)
                .limit(limit)
                .map(ObjectNode::deepCopy);
    }
}
