package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A mutable MISP for tests, with events: attributes and events change between two pages or two
 * polls as they do on a live MISP. {@link #add} stores data as a synchronisation brings it
 * (published now, with its own old timestamps); the other changes follow what MISP's controllers do,
 * as read in MISP's source (app/Model/MispAttribute.php, app/Model/Event.php): adding, editing or
 * deleting an attribute and tagging an event unpublish the event and move its timestamp;
 * publishing moves only {@code publish_timestamp}; an import keeps the timestamps it brings.
 */
public final class InMemoryMispDataset implements MispDataset {

    private final TreeMap<Long, ObjectNode> attributes = new TreeMap<>();
    private final Map<String, MispEventState> events = new HashMap<>();
    private final Map<String, ObjectNode> objects = new HashMap<>();
    private final Set<String> warninglist = new HashSet<>();
    private final Clock clock;

    public InMemoryMispDataset() {
        this(Clock.systemUTC());
    }

    /** @param clock MISP's clock: the time its edits and publications are stamped with */
    public InMemoryMispDataset(Clock clock) {
        this.clock = clock;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /**
     * Stores a copy as data that arrives the way a synchronisation or a feed brings it: with its own
     * timestamps, and its event published now (Event::_add and _edit publish with
     * {@code publish_timestamp} = now). An attribute without an id gets the next free one, one with
     * an id already present replaces it. Its event is created from its {@code Event} block if new.
     * @return the stored copy
     */
    public synchronized ObjectNode add(ObjectNode attribute) {
        ObjectNode copy = store(attribute);
        MispEventState event = eventOf(copy);
        event.timestamp = Math.max(event.timestamp, copy.path("timestamp").asLong());
        event.published = true;
        event.publishTimestamp = now();
        return copy.deepCopy();
    }

    /** Builds with the next free id unless the builder has one. */
    public synchronized ObjectNode add(MispAttributes.Builder builder) {
        return add(withId(builder).build());
    }

    /**
     * {@code /attributes/add}: the attribute keeps the timestamp it is given (now if none), and its
     * event is unpublished with its timestamp moved to now (MispAttribute::captureAttribute,
     * Event::unpublishEvent).
     */
    public synchronized ObjectNode addToEvent(MispAttributes.Builder builder) {
        if (!builder.hasTimestamp()) {
            builder.timestamp(now());
        }
        ObjectNode copy = store(withId(builder).build());
        eventOf(copy).touched(now());
        return copy.deepCopy();
    }

    /**
     * {@code /events/add} of events that already have a history (an import, a feed, a pull): the
     * attributes and the event keep their timestamps; published, it gets {@code publish_timestamp}
     * now (Event::_add does not take it from the input).
     */
    public synchronized void importEvent(boolean published, List<MispAttributes.Builder> builders) {
        for (MispAttributes.Builder builder : builders) {
            ObjectNode copy = store(withId(builder).build());
            MispEventState event = eventOf(copy);
            event.timestamp = Math.max(event.timestamp, copy.path("timestamp").asLong());
            if (published) {
                event.published = true;
                event.publishTimestamp = now();
            }
        }
    }

    /** {@code /attributes/edit}: the change, timestamp now, the event unpublished. */
    public synchronized ObjectNode edit(long id, Consumer<ObjectNode> change) {
        ObjectNode attribute = require(id);
        change.accept(attribute);
        // the event comes from the dataset, never from the change
        attribute.remove("Event");
        attribute.put("timestamp", Long.toString(now()));
        eventOf(attribute).touched(now());
        return attribute.deepCopy();
    }

    /** {@code /attributes/delete} (soft): deleted, timestamp now, the event unpublished (MispAttribute::deleteAttribute). */
    public synchronized void softDelete(long id) {
        edit(id, attribute -> attribute.put("deleted", true));
    }

    /** {@code /events/publish}: publish_timestamp now; no timestamp moves (Event::publish). */
    public synchronized void publish(String eventId) {
        MispEventState event = requireEvent(eventId);
        event.published = true;
        event.publishTimestamp = now();
    }

    public synchronized void unpublish(String eventId) {
        requireEvent(eventId).published = false;
    }

    /** A global tag added to an event: the event is unpublished with its timestamp moved (EventsController::addTag). */
    public synchronized void tagEvent(String eventId, String tag) {
        MispEventState event = requireEvent(eventId);
        event.tags.add(tag);
        event.touched(now());
    }

    public synchronized void untagEvent(String eventId, String tag) {
        MispEventState event = requireEvent(eventId);
        event.tags.remove(tag);
        event.touched(now());
    }

    /** A new event title: an event edit, which unpublishes it. */
    public synchronized void renameEvent(String eventId, String info) {
        MispEventState event = requireEvent(eventId);
        event.info = info;
        event.touched(now());
    }

    /** Puts a value on an enabled warninglist: {@code enforceWarninglist} then drops it after paging. */
    public synchronized void addToWarninglist(String value) {
        warninglist.add(value);
    }

    @Override
    public synchronized boolean onWarninglist(ObjectNode attribute) {
        return warninglist.contains(attribute.path("value").asText());
    }

    /**
     * Adds or replaces an object ({@link MispAttributes#object}); its members are the attributes whose
     * {@code object_id} names it, whenever they are added.
     */
    public synchronized void addObject(ObjectNode object) {
        objects.put(object.get("id").asText(), object.deepCopy());
    }

    /** Soft-deletes an object: /objects/view then answers 200 with {@code deleted: true} and no members. */
    public synchronized void softDeleteObject(String id) {
        ObjectNode object = objects.get(id);
        object.put("deleted", true);
    }

    @Override
    public synchronized Optional<ObjectNode> object(String id) {
        ObjectNode meta = objects.get(id);
        if (meta == null) {
            return Optional.empty();
        }
        ObjectNode object = meta.deepCopy();
        ArrayNode members = object.putArray("Attribute");
        // misp-api.md (observed): a soft-deleted object has an empty Attribute list, and a
        // soft-deleted member is left out
        if (!object.path("deleted").asBoolean()) {
            attributes.values().stream()
                    .filter(a -> id.equals(a.path("object_id").asText()) && !a.path("deleted").asBoolean())
                    .forEach(a -> members.add(MispAttributes.asObjectMember(a)));
        }
        return Optional.of(object);
    }

    @Override
    public synchronized Stream<ObjectNode> objectsOfEvents(Collection<String> eventIds) {
        return objects.keySet().stream()
                .filter(id -> eventIds.contains(objects.get(id).path("event_id").asText()))
                .sorted(Comparator.comparingLong(Long::parseLong))
                .map(id -> object(id).orElseThrow())
                .toList().stream();
    }

    public synchronized Optional<ObjectNode> get(long id) {
        return Optional.ofNullable(attributes.get(id)).map(ObjectNode::deepCopy);
    }

    public synchronized boolean remove(long id) {
        return attributes.remove(id) != null;
    }

    public synchronized void clear() {
        attributes.clear();
        objects.clear();
        events.clear();
    }

    public synchronized int size() {
        return attributes.size();
    }

    @Override
    public synchronized int size(SearchFilters filters) {
        return (int) attributes.values().stream().filter(a -> matches(filters, a)).count();
    }

    @Override
    public synchronized Stream<ObjectNode> page(SearchFilters filters, long offset, int limit) {
        return attributes.values().stream()
                .filter(a -> matches(filters, a))
                .sorted(order(filters.order()))
                .skip(offset)
                .limit(limit)
                .map(a -> shape(a, filters))
                .toList().stream();
    }

    private boolean matches(SearchFilters filters, ObjectNode attribute) {
        MispEventState event = events.get(attribute.path("event_id").asText());
        return filters.matchesAttribute(attribute.path("timestamp").asLong(), attribute.path("to_ids").asBoolean(),
                attribute.path("deleted").asBoolean())
                && filters.matchesUuid(attribute.path("uuid").asText(), attribute.path("event_uuid").asText())
                && filters.matchesEvent(event.id, event.published, event.publishTimestamp, event.timestamp)
                && filters.types().matches(Set.of(attribute.path("type").asText()))
                && filters.tags().matches(tagsOf(attribute, event));
    }

    /** misp-api.md (observed): the tags filter matches attribute and event tags alike. */
    private static Set<String> tagsOf(ObjectNode attribute, MispEventState event) {
        Set<String> names = new HashSet<>(event.tags);
        attribute.path("Tag").forEach(tag -> names.add(tag.path("name").asText()));
        return names;
    }

    /**
     * Without {@code order} MISP's SQL has no ORDER BY and the database picks (misp-api.md: id order,
     * event then id, or timestamp-index order, depending on size). The stand-in answers in an order
     * that is none of these but stays the same while the data does, so a client that leans on any
     * natural order is caught, and one that sends {@code order} is not punished.
     */
    private Comparator<ObjectNode> order(List<SearchFilters.OrderKey> keys) {
        if (keys.isEmpty()) {
            return Comparator.comparingLong(a -> SyntheticDataset.mix(0x5CA7_7E12L, a.path("id").asLong()));
        }
        Comparator<ObjectNode> order = null;
        for (SearchFilters.OrderKey key : keys) {
            Comparator<ObjectNode> next = Comparator.comparingLong(a -> column(a, key.field()));
            next = key.descending() ? next.reversed() : next;
            order = order == null ? next : order.thenComparing(next);
        }
        return order;
    }

    private long column(ObjectNode attribute, String field) {
        return switch (field) {
            case "Attribute.id" -> attribute.path("id").asLong();
            case "Attribute.event_id" -> attribute.path("event_id").asLong();
            case "Attribute.timestamp" -> attribute.path("timestamp").asLong();
            default -> events.get(attribute.path("event_id").asText()).publishTimestamp;
        };
    }

    /**
     * The attribute as restSearch writes it for these filters: its event's block as it is now, event
     * tags only with {@code includeEventTags} (marked {@code inherited}), as JsonExport merges them.
     */
    private ObjectNode shape(ObjectNode stored, SearchFilters filters) {
        ObjectNode attribute = stored.deepCopy();
        MispEventState event = events.get(attribute.path("event_id").asText());
        attribute.set("Event", event.block(filters.includeContext()));
        ArrayNode tags = Json.MAPPER.createArrayNode();
        for (JsonNode tag : stored.path("Tag")) {
            if (tag.path("inherited").asInt() == 0 || filters.includeEventTags()) {
                tags.add(tag.deepCopy());
            }
        }
        if (filters.includeEventTags()) {
            event.tags.forEach(name -> MispAttributes.addTag(tags, name, true));
        }
        attribute.remove("Tag");
        if (!tags.isEmpty()) {
            attribute.set("Tag", tags);
        }
        return attribute;
    }

    private ObjectNode store(ObjectNode attribute) {
        ObjectNode copy = attribute.deepCopy();
        long id;
        if (copy.hasNonNull("id")) {
            id = copy.get("id").asLong();
        } else {
            id = nextId();
            copy.put("id", Long.toString(id));
        }
        ObjectNode eventBlock = copy.hasNonNull("Event") ? (ObjectNode) copy.remove("Event") : Json.object();
        if (!eventBlock.hasNonNull("id")) {
            eventBlock.put("id", copy.path("event_id").asText("1"));
        }
        String eventId = eventBlock.get("id").asText();
        copy.put("event_id", eventId);
        MispEventState event = events.computeIfAbsent(eventId,
                key -> new MispEventState(eventBlock, copy.path("timestamp").asLong()));
        if (eventBlock.hasNonNull("Orgc")) {
            event.orgc = (ObjectNode) eventBlock.get("Orgc").deepCopy();
        }
        attributes.put(id, copy);
        return copy;
    }

    private MispEventState eventOf(ObjectNode attribute) {
        return events.get(attribute.path("event_id").asText());
    }

    private ObjectNode require(long id) {
        ObjectNode attribute = attributes.get(id);
        if (attribute == null) {
            throw new IllegalArgumentException("no attribute " + id);
        }
        return attribute;
    }

    private MispEventState requireEvent(String eventId) {
        MispEventState event = events.get(eventId);
        if (event == null) {
            throw new IllegalArgumentException("no event " + eventId);
        }
        return event;
    }

    private MispAttributes.Builder withId(MispAttributes.Builder builder) {
        if (!builder.hasId()) {
            builder.id(nextId());
        }
        return builder;
    }

    private long nextId() {
        return attributes.isEmpty() ? 1 : attributes.lastKey() + 1;
    }
}
