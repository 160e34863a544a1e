package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * A mutable dataset for tests: attributes can be added or changed between two pages or two polls,
 * as they are on a live MISP. Adding an attribute with an id already present replaces it (an edit).
 */
public final class InMemoryMispDataset implements MispDataset {

    private final ConcurrentSkipListMap<Long, ObjectNode> attributes = new ConcurrentSkipListMap<>();

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

    public Optional<ObjectNode> get(long id) {
        return Optional.ofNullable(attributes.get(id)).map(ObjectNode::deepCopy);
    }

    public boolean remove(long id) {
        return attributes.remove(id) != null;
    }

    public void clear() {
        attributes.clear();
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
