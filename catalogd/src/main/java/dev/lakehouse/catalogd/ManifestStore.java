package dev.lakehouse.catalogd;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.json.RecordFormat;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.ObjectInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog's durable state in storaged. Layout under {@link StorageLayout#CATALOG_PREFIX}:
 * {@code _catalog/{name}/{version}.json} (one manifest, written once) and {@code _catalog/{name}/_deleted.json}
 * (a tombstone while a DELETE is being carried out). Nothing else lives there. Both are stamped records
 * ({@link RecordFormat}): {@code manifest} and {@code catalog_tombstone} at 1.0, read tolerantly.
 */
final class ManifestStore {
    static final RecordFormat MANIFEST = RecordFormat.of("manifest", 1, 0);
    static final RecordFormat TOMBSTONE_FORMAT = RecordFormat.of("catalog_tombstone", 1, 0);
    private static final Pattern KEY = Pattern.compile(
            Pattern.quote(StorageLayout.CATALOG_PREFIX) + "([a-z][a-z0-9_]{0,62})/(?:(\\d+)\\.json|(_deleted\\.json))");
    static final String TOMBSTONE = "_deleted.json";

    /**
     * What storaged holds for one dataset: its version numbers, whether a tombstone is present, and the first
     * manifest key that cannot be one of its versions (null if none).
     */
    record Entry(TreeSet<Integer> versions, boolean tombstone, String badKey) {
        int latest() {
            return versions.isEmpty() ? 0 : versions.last();
        }
    }

    /** Body of the tombstone object. */
    record Tombstone(String dataset, int throughVersion, Instant deletedAt) {}

    private final StorageClient storage;

    ManifestStore(StorageClient storage) {
        this.storage = storage;
    }

    static String manifestKey(String dataset, int version) {
        return StorageLayout.CATALOG_PREFIX + dataset + "/" + version + ".json";
    }

    static String tombstoneKey(String dataset) {
        return StorageLayout.CATALOG_PREFIX + dataset + "/" + TOMBSTONE;
    }

    /** Every dataset with anything under the catalog prefix, by name. */
    Map<String, Entry> scanAll() {
        return scanPrefix(StorageLayout.CATALOG_PREFIX);
    }

    /** What storaged holds for {@code dataset} (empty versions and no tombstone if nothing). */
    Entry scan(String dataset) {
        return scanPrefix(StorageLayout.CATALOG_PREFIX + dataset + "/")
                .getOrDefault(dataset, new Entry(new TreeSet<>(), false, null));
    }

    private Map<String, Entry> scanPrefix(String prefix) {
        Map<String, Entry> out = new TreeMap<>();
        for (ObjectInfo o : storage.listAll(prefix)) {
            Matcher m = KEY.matcher(o.key());
            if (!m.matches()) {
                continue; // not ours (e.g. a stray upload); ignored rather than fatal
            }
            Entry e = out.computeIfAbsent(m.group(1), k -> new Entry(new TreeSet<>(), false, null));
            if (m.group(3) != null) {
                out.put(m.group(1), new Entry(e.versions(), true, e.badKey()));
                continue;
            }
            Integer version = version(m.group(2));
            if (version != null) {
                e.versions().add(version);
            } else if (e.badKey() == null) {
                out.put(m.group(1), new Entry(e.versions(), e.tombstone(), o.key()));
            }
        }
        return out;
    }

    /** The version a key names, or null if it cannot be one (0, or past the int range: no catalog gets there). */
    private static Integer version(String digits) {
        try {
            int v = Integer.parseInt(digits);
            return v >= 1 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void put(Manifest m) {
        storage.put(manifestKey(m.dataset(), m.version()), MANIFEST.write(m));
    }

    /** The manifest, empty if absent; {@link CorruptManifest} if the object is not that dataset's version. */
    Optional<Manifest> get(String dataset, int version) {
        String key = manifestKey(dataset, version);
        Manifest m;
        try {
            m = MANIFEST.read(storage.getBytes(key), Manifest.class);
        } catch (NotFound e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CorruptManifest(key, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (m == null || !dataset.equals(m.dataset()) || m.version() != version || m.schema() == null || m.files() == null
                || m.contentHash() == null) {
            throw new CorruptManifest(key, "not a manifest of " + dataset + " version " + version);
        }
        return Optional.of(m);
    }

    void putTombstone(Tombstone t) {
        storage.put(tombstoneKey(t.dataset()), TOMBSTONE_FORMAT.write(t));
    }

    void deleteManifest(String dataset, int version) {
        storage.delete(manifestKey(dataset, version));
    }

    void deleteTombstone(String dataset) {
        storage.delete(tombstoneKey(dataset));
    }

    /** Deletes a data file (idempotent). */
    void deleteObject(String key) {
        storage.delete(key);
    }
}
