package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Stream;

/** The attributes, events and objects a {@link MispStandIn} serves. */
public interface MispDataset {

    /** Number of attributes matching the filters: MISP's {@code X-Result-Count} when no limit is given. */
    int size(SearchFilters filters);

    /**
     * What MISP's SQL query returns: the matching attributes in the filters' {@code order} (without
     * one, in an order of the dataset's choosing that is neither id nor timestamp order, as MISP adds
     * no ORDER BY then), from the {@code offset}-th (0-based) on, at most {@code limit} of them. Each
     * is in restSearch's shape for these filters. Lazy, so a page of any size is written without
     * holding it in memory. Warninglists and decaying models drop rows later, in {@link MispStandIn}.
     */
    Stream<ObjectNode> page(SearchFilters filters, long offset, int limit);

    /** True when the attribute's value is on an enabled warninglist ({@code enforceWarninglist} drops it). */
    default boolean onWarninglist(ObjectNode attribute) {
        return false;
    }

    /**
     * The object {@code /objects/view/{id}} answers with, its undeleted members under
     * {@code Attribute}; empty when there is none (MISP then answers 404).
     */
    default Optional<ObjectNode> object(String id) {
        return Optional.empty();
    }

    /** The objects of these events, each as {@link #object} gives it, in id order: {@code /objects/restSearch}. */
    default Stream<ObjectNode> objectsOfEvents(Collection<String> eventIds) {
        return Stream.empty();
    }
}
