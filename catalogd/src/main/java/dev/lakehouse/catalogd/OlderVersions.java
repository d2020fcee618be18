package dev.lakehouse.catalogd;

import dev.lakehouse.common.model.Manifest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Manifests of versions older than the latest, kept in memory so time travel ({@code ?version=N}) does not read
 * storaged on every query. Safe because a version is written once and never changes while its dataset exists;
 * {@link Catalog} drops a dataset's entries when it is deleted (its version numbers start over) or reloaded.
 * Least recently used first out, bounded by the file entries held, since a manifest's size is its file list.
 */
final class OlderVersions {
    private record Key(String dataset, int version) {}

    private final long maxFiles;
    private final LinkedHashMap<Key, Manifest> lru = new LinkedHashMap<>(64, 0.75f, true);
    private long files;
    private long hits;
    private long misses;

    OlderVersions(long maxFiles) {
        this.maxFiles = maxFiles;
    }

    synchronized Optional<Manifest> get(String dataset, int version) {
        Manifest m = lru.get(new Key(dataset, version));
        if (m == null) {
            misses++;
        } else {
            hits++;
        }
        return Optional.ofNullable(m);
    }

    /** Keeps {@code m}, evicting the least recently used until the bound holds; one too large is not kept. */
    synchronized void put(Manifest m) {
        long weight = weight(m);
        Key key = new Key(m.dataset(), m.version());
        if (weight > maxFiles) {
            Manifest old = lru.remove(key);
            files -= old == null ? 0 : weight(old);
            return;
        }
        Manifest old = lru.put(key, m);
        files += weight - (old == null ? 0 : weight(old));
        Iterator<Manifest> eldest = lru.values().iterator();
        while (files > maxFiles && eldest.hasNext()) {
            files -= weight(eldest.next());
            eldest.remove();
        }
    }

    /** Drops every version of {@code dataset}. */
    synchronized void forget(String dataset) {
        Iterator<Map.Entry<Key, Manifest>> it = lru.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Manifest> e = it.next();
            if (e.getKey().dataset().equals(dataset)) {
                files -= weight(e.getValue());
                it.remove();
            }
        }
    }

    synchronized Map<String, Long> stats() {
        return Map.of("manifests", (long) lru.size(), "files", files, "hits", hits, "misses", misses);
    }

    private static long weight(Manifest m) {
        return Math.max(1, m.files().size());
    }
}
