package dev.lakehouse.catalogd;

import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntFunction;

/**
 * Which versions of a dataset reference a file key: for each key, the first version that lists it. Answers
 * ingestd's janitor ("may this upload be deleted?") over every version the catalog keeps, not a recent window.
 * Built for a dataset on its first lookup by reading all its manifests, then kept up to date by
 * {@link Catalog#register}; dropped when the dataset is deleted or reloaded. One int per distinct key, so an
 * append-heavy dataset (every version repeats all earlier files) costs its distinct keys, not versions × files.
 * Callers hold the dataset's lock.
 */
final class FileReferences {
    private final ConcurrentMap<String, Map<String, Integer>> byDataset = new ConcurrentHashMap<>();

    /** The first version of {@code latestVersion}'s dataset that references {@code key}, loading the index if needed. */
    OptionalInt firstVersion(String dataset, int latestVersion, String key, IntFunction<Manifest> manifestOf) {
        Map<String, Integer> index = byDataset.computeIfAbsent(dataset, d -> build(latestVersion, manifestOf));
        Integer v = index.get(key);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    private static Map<String, Integer> build(int latestVersion, IntFunction<Manifest> manifestOf) {
        Map<String, Integer> index = new HashMap<>();
        for (int v = 1; v <= latestVersion; v++) {
            Manifest m = manifestOf.apply(v);
            if (m == null) {
                // never "not referenced" on a partial view: a version that cannot be read makes the answer unknown
                throw new BadGateway("manifest v" + v + " could not be read; file references unknown");
            }
            add(index, m);
        }
        return index;
    }

    /** Records a newly written version, if the dataset's index is loaded (else it is built on the next lookup). */
    void added(Manifest m) {
        Map<String, Integer> index = byDataset.get(m.dataset());
        if (index != null) {
            add(index, m);
        }
    }

    void forget(String dataset) {
        byDataset.remove(dataset);
    }

    private static void add(Map<String, Integer> index, Manifest m) {
        for (FileEntry f : m.files()) {
            index.putIfAbsent(f.key(), m.version());
        }
    }
}
