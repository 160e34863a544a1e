package org.mispsentinel.misp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which MISP objects must be fetched, and the copies already fetched. {@code /attributes/restSearch}
 * names an attribute's object by id only, so the object's name and its other members come from
 * {@code /objects/view}, once per object while the copy stays current: the attributes of one object
 * usually arrive together, and an attribute changed since the copy was taken makes it stale.
 */
public final class ObjectLookup {

    /**
     * The attributes of one object arrive close together (same event, usually the same timestamp),
     * so a short memory suffices; each copy holds all members, so a long one would cost heap.
     */
    private static final int CAPACITY = 128;

    private final boolean enabled;
    private final Map<String, Optional<MispObject>> fetched = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<MispObject>> eldest) {
            return size() > CAPACITY;
        }
    };

    public ObjectLookup(boolean enabled) {
        this.enabled = enabled;
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
