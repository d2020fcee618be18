package dev.lakehouse.queryd.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** A map that forgets its least recently used entry beyond {@code capacity}; not thread-safe (callers lock). */
public final class Lru {
    private Lru() {}

    public static <K, V> Map<K, V> map(int capacity) {
        return map(capacity, v -> {});
    }

    /** As {@link #map(int)}, handing each value it forgets to {@code onEvict} (e.g. to close it). */
    public static <K, V> Map<K, V> map(int capacity, Consumer<V> onEvict) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                boolean evict = size() > capacity;
                if (evict) {
                    onEvict.accept(eldest.getValue());
                }
                return evict;
            }
        };
    }
}
