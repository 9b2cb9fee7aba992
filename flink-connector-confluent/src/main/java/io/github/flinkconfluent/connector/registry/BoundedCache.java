package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.Internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A small thread-safe LRU cache with an optional time to live.
 *
 * <p>Registry caches must stay bounded (a job may see many schema ids over months) and must not
 * hold a lock while calling the registry, so two threads missing the same key may both load it; the
 * registry answers are idempotent, so that costs a request, never correctness.
 */
@Internal
final class BoundedCache<K, V> {

    private final int capacity;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final LinkedHashMap<K, Entry<V>> entries;

    private record Entry<V>(V value, long loadedAt) {}

    BoundedCache(int capacity, Duration ttl) {
        this(capacity, ttl, System::nanoTime);
    }

    BoundedCache(int capacity, Duration ttl, LongSupplier clock) {
        this.capacity = capacity;
        this.ttlNanos = ttl == null ? Long.MAX_VALUE : ttl.toNanos();
        this.clock = clock;
        this.entries =
                new LinkedHashMap<>(16, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                        return size() > BoundedCache.this.capacity;
                    }
                };
    }

    /** The cached value for {@code key}, loading (outside the lock) and storing it on a miss. */
    V get(K key, Function<K, V> loader) {
        V cached = getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        V loaded = loader.apply(key);
        put(key, loaded);
        return loaded;
    }

    synchronized V getIfPresent(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (ttlNanos != Long.MAX_VALUE && clock.getAsLong() - entry.loadedAt() > ttlNanos) {
            entries.remove(key);
            return null;
        }
        return entry.value();
    }

    synchronized void put(K key, V value) {
        entries.put(key, new Entry<>(value, clock.getAsLong()));
    }

    synchronized void invalidate(K key) {
        entries.remove(key);
    }

    synchronized void invalidateIf(java.util.function.Predicate<K> predicate) {
        entries.keySet().removeIf(predicate);
    }

    synchronized int size() {
        return entries.size();
    }
}
