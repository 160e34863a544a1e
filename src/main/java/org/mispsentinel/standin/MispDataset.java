package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.stream.Stream;

/** The attributes (and objects) a {@link MispStandIn} serves, attributes always in ascending id order. */
public interface MispDataset {

    /** Number of attributes matching the query: MISP's {@code X-Result-Count}. */
    int size(MispQuery query);

    /**
     * The matching attributes from the {@code offset}-th (0-based) on, at most {@code limit} of them.
     * A lazy stream, so a page of any size is written without holding it in memory.
     */
    Stream<ObjectNode> page(MispQuery query, long offset, int limit);

    /**
     * The object {@code /objects/view/{id}} answers with, its undeleted members under
     * {@code Attribute}; empty when there is none (MISP then answers 404).
     */
    default Optional<ObjectNode> object(String id) {
        return Optional.empty();
    }

    default int size(long minTimestamp) {
        return size(MispQuery.since(minTimestamp));
    }
}
