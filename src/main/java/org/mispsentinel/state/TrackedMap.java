package org.mispsentinel.state;

import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.DataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * A map of the local mirror that notes which keys were written: every write of an MVMap (put,
 * remove, replace, putIfAbsent) goes through {@link #operate}, and {@link #clear} empties it whole
 * (MVMap, H2 2.4.240), so a commit sends the changed keys and nothing else.
 */
final class TrackedMap<K, V> extends MVMap<K, V> {

    private final MapChanges changes;

    private TrackedMap(Map<String, Object> config, DataType<K> keyType, DataType<V> valueType, MapChanges changes) {
        super(config, keyType, valueType);
        this.changes = changes;
    }

    @Override
    public V operate(K key, V value, DecisionMaker<? super V> decisionMaker) {
        V previous = super.operate(key, value, decisionMaker);
        changes.changed(key);
        return previous;
    }

    @Override
    public void clear() {
        super.clear();
        changes.cleared();
    }

    static final class Builder<K, V> extends MVMap.BasicBuilder<TrackedMap<K, V>, K, V> {

        private final MapChanges changes;

        @SuppressWarnings("unchecked")
        Builder(MapChanges changes) {
            this.changes = changes;
            // the type of an untyped MVMap: keys and values as the state classes write them
            keyType((DataType<? super K>) (DataType<?>) new ObjectDataType());
            valueType((DataType<? super V>) (DataType<?>) new ObjectDataType());
        }

        @Override
        protected TrackedMap<K, V> create(Map<String, Object> config) {
            return new TrackedMap<>(config, getKeyType(), getValueType(), changes);
        }
    }
}
