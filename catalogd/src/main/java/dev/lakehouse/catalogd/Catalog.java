package dev.lakehouse.catalogd;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.catalogd.erasure.ErasableCatalog;
import dev.lakehouse.catalogd.verify.ManifestVerifier;
import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.error.ServiceUnavailable;
import dev.lakehouse.common.model.DatasetSummary;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.common.model.Registration;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog: the latest manifest of every dataset, kept in memory and made durable in storaged through
 * {@link ManifestStore} before anything is acknowledged. Writes to one dataset are serialized by a
 * per-dataset lock; reads never block. See docs/adr/0004-catalog-state-in-storage.md.
 *
 * <ul>
 *   <li>Idempotency is judged against the <em>latest</em> version only: content equal to the latest returns it
 *       (200); content equal to an older version registers a new version (a deliberate rollback).
 *   <li>If a storage write fails, its outcome is unknown (the PUT may have landed), so the dataset is marked
 *       suspect and re-read from storaged before its next use; a version number is never written twice.
 *   <li>DELETE writes a tombstone first, then removes the dataset's data files and manifests, then the tombstone;
 *       a crash in between is finished on the next start (or the next touch of that name).
 * </ul>
 */
final class Catalog implements ErasableCatalog {
    private static final Logger log = LoggerFactory.getLogger(Catalog.class);
    /** The error code of a positive "no version references this file". */
    static final String FILE_NOT_REFERENCED = "file_not_referenced";

    private final ManifestStore store;
    private final Clock clock;
    private final ConcurrentMap<String, Manifest> latest = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();
    private final Set<String> suspect = ConcurrentHashMap.newKeySet();
    private final OlderVersions older;
    private final FileReferences references = new FileReferences();
    private final ManifestVerifier verifier;
    /** Datasets whose stored manifests cannot be read, with why: refused on every call, listed, never guessed at. */
    private final ConcurrentMap<String, String> failed = new ConcurrentHashMap<>();
    private volatile boolean ready;
    private volatile Listener listener = Listener.NONE;

    /**
     * Told of each new version (under the dataset's lock: must not block) and of each delete (after it, outside
     * the lock) once it is durable; Iceberg metadata follows the catalog this way.
     */
    interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void registered(String dataset) {}

            @Override
            public void deleted(String dataset) {}

            @Override
            public void erased(String dataset) {}
        };

        void registered(String dataset);

        void deleted(String dataset);

        /** Older versions were rewritten by an erasure; synchronous, and a failure fails the erasure's step (retried). */
        void erased(String dataset);
    }

    void listen(Listener l) {
        this.listener = l;
    }

    /** @param olderVersionFiles bound of {@link OlderVersions}, in file entries of the manifests it keeps */
    Catalog(ManifestStore store, Clock clock, long olderVersionFiles, ManifestVerifier verifier) {
        this.store = store;
        this.clock = clock;
        this.older = new OlderVersions(olderVersionFiles);
        this.verifier = verifier;
    }

    @Override
    public boolean ready() {
        return ready;
    }

    int datasetCount() {
        return latest.size();
    }

    /** Loads the latest manifest of every dataset from storaged and finishes interrupted deletes. */
    void rehydrate() {
        Map<String, ManifestStore.Entry> all = store.scanAll();
        for (Map.Entry<String, ManifestStore.Entry> e : all.entrySet()) {
            synchronized (lock(e.getKey())) {
                loadOrFail(e.getKey(), e.getValue());
            }
        }
        ready = true;
        log.info("catalog rehydrated: {} dataset(s) from storage, {} failed", latest.size(), failed.size());
    }

    /** Registers the next version of {@code dataset}, or returns the latest if its content is the same. */
    Registration register(String dataset, RegisterRequest request) {
        return register(dataset, verified(dataset, request), request.expectedVersion());
    }

    /**
     * The request's content, checked against the objects themselves (before the lock: a lying manifest is a 400,
     * and the I/O blocks no one); {@link #register(String, ManifestContent, Integer)} then registers it.
     */
    ManifestContent verified(String dataset, RegisterRequest request) {
        DatasetNames.require(dataset);
        ManifestContent content = ManifestContent.of(request);
        verifier.verify(content.schema(), content.files());
        return content;
    }

    /** Registers {@code content} (from {@link #verified}) as the next version, or returns the latest if it is the same. */
    Registration register(String dataset, ManifestContent content, Integer expected) {
        synchronized (lock(dataset)) {
            Manifest cur = current(dataset);
            if (cur != null && cur.contentHash().equals(content.contentHash())) {
                return new Registration(cur, false); // a retry (or a no-op): never a second version
            }
            int curVersion = cur == null ? 0 : cur.version();
            if (expected != null && expected != curVersion) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("code", ErrorCodes.VERSION_CONFLICT);
                details.put("expected_version", expected);
                details.put("current_version", curVersion);
                throw new Conflict("dataset '" + dataset + "' is at version " + curVersion
                        + ", not the expected " + expected, details);
            }
            Manifest next = new Manifest(dataset, curVersion + 1, content.schema(), content.files(), content.rows(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), content.contentHash());
            write(dataset, () -> {
                store.put(next);
                return next;
            });
            latest.put(dataset, next);
            references.added(next);
            if (cur != null) {
                older.put(cur); // from now on an older version, and time travel's likeliest target
            }
            listener.registered(dataset);
            return new Registration(next, true);
        }
    }

    Manifest latest(String dataset) {
        DatasetNames.require(dataset);
        Manifest m = currentForRead(dataset);
        if (m == null) {
            throw notFound(dataset);
        }
        return m;
    }

    /** One line per version of a dataset, for {@code GET .../versions}. */
    record VersionSummary(int version, long rows, int files, java.time.Instant createdAt, String contentHash) {}

    /** A page of a dataset's versions, oldest first; {@code nextAfter} continues it (absent on the last page). */
    record VersionPage(String dataset, int latestVersion, List<VersionSummary> versions, Integer nextAfter) {}

    /** Versions {@code after+1 ..} of {@code dataset}, at most {@code limit}; older ones are read from storage. */
    VersionPage versions(String dataset, int after, int limit) {
        Manifest cur = latest(dataset);
        List<VersionSummary> page = new java.util.ArrayList<>();
        for (int v = after + 1; v <= cur.version() && page.size() < limit; v++) {
            Manifest m = version(dataset, v);
            page.add(new VersionSummary(m.version(), m.rows(), m.files().size(), m.createdAt(), m.contentHash()));
        }
        int last = page.isEmpty() ? cur.version() : page.get(page.size() - 1).version();
        return new VersionPage(dataset, cur.version(), page, last < cur.version() ? last : null);
    }

    @Override
    public Manifest version(String dataset, int version) {
        Manifest cur = latest(dataset);
        if (version == cur.version()) {
            return cur;
        }
        requireOlder(cur, version);
        Optional<Manifest> kept = older.get(dataset, version);
        if (kept.isPresent()) {
            return kept.get();
        }
        // read and kept under the dataset's lock: a DELETE cannot come in between and leave a manifest of the
        // deleted dataset behind for a new dataset of the same name, whose version numbers start over
        synchronized (lock(dataset)) {
            Manifest now = current(dataset);
            if (now == null) {
                throw notFound(dataset);
            }
            if (version == now.version()) {
                return now;
            }
            requireOlder(now, version);
            Manifest m = store.get(dataset, version)
                    .orElseThrow(() -> new NotFound("dataset '" + dataset + "' has no version " + version,
                            Map.of("code", ErrorCodes.VERSION_NOT_FOUND, "dataset", dataset, "version", version)));
            older.put(m);
            return m;
        }
    }

    /**
     * The first version of {@code dataset} that references the file {@code key}, over every version kept. A
     * positive "no" is a 404 with code {@value #FILE_NOT_REFERENCED} (also when the dataset does not exist), so
     * a caller deciding to delete the file can tell it from any other 404.
     */
    int firstVersionReferencing(String dataset, String key) {
        DatasetNames.require(dataset);
        if (key == null || key.isBlank()) {
            throw new BadRequest("query parameter 'key' (a file key) is required");
        }
        synchronized (lock(dataset)) {
            Manifest cur = current(dataset);
            OptionalInt v = cur == null ? OptionalInt.empty()
                    : references.firstVersion(dataset, cur.version(), key, n -> n == cur.version() ? cur
                            : older.get(dataset, n).orElseGet(() -> store.get(dataset, n).orElse(null)));
            if (v.isEmpty()) {
                throw new NotFound("no version of dataset '" + dataset + "' references '" + key + "'",
                        Map.of("code", FILE_NOT_REFERENCED, "dataset", dataset, "key", key, "dataset_exists", cur != null));
            }
            return v.getAsInt();
        }
    }

    private static void requireOlder(Manifest cur, int version) {
        if (version < 1 || version > cur.version()) {
            throw new NotFound("dataset '" + cur.dataset() + "' has no version " + version + " (latest is " + cur.version() + ")",
                    Map.of("code", ErrorCodes.VERSION_NOT_FOUND, "dataset", cur.dataset(), "version", version,
                            "latest_version", cur.version()));
        }
    }

    List<DatasetSummary> list() {
        requireReady();
        return latest.values().stream()
                .sorted(Comparator.comparing(Manifest::dataset))
                .map(m -> new DatasetSummary(m.dataset(), m.version(), m.rows(), m.createdAt()))
                .toList();
    }

    /** Deletes every version and the dataset's data files under {@code datasets/{name}/}; returns what was removed. */
    Map<String, Object> delete(String dataset) {
        Map<String, Object> out = deleteLocked(dataset);
        listener.deleted(dataset); // outside the lock: the listener may read other datasets' versions
        return out;
    }

    private Map<String, Object> deleteLocked(String dataset) {
        DatasetNames.require(dataset);
        synchronized (lock(dataset)) {
            Manifest cur = current(dataset);
            if (cur == null) {
                throw notFound(dataset);
            }
            ManifestStore.Tombstone tombstone =
                    new ManifestStore.Tombstone(dataset, cur.version(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
            write(dataset, () -> {
                store.putTombstone(tombstone);
                return tombstone;
            });
            // from here the dataset is gone for readers; the rest is cleanup a restart would redo
            older.forget(dataset);
            references.forget(dataset);
            latest.remove(dataset);
            int[] removed = write(dataset, () -> purge(dataset, store.scan(dataset)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dataset", dataset);
            out.put("deleted", true);
            out.put("versions", removed[0]);
            out.put("files", removed[1]);
            return out;
        }
    }

    // ---- erasure (ADR 0024): the one change to a written version ----

    @Override
    public <T> T locked(String dataset, java.util.function.Supplier<T> work) {
        synchronized (lock(dataset)) {
            return work.get();
        }
    }

    @Override
    public int latestVersion(String dataset) {
        synchronized (lock(dataset)) {
            Manifest cur = current(dataset);
            return cur == null ? 0 : cur.version();
        }
    }

    @Override
    public boolean replaceFiles(String dataset, int version, Map<String, FileEntry> replacements, String erasureId,
            java.time.Instant erasedAt) {
        synchronized (lock(dataset)) {
            Manifest m = version(dataset, version);
            if (m.files().stream().noneMatch(f -> replacements.containsKey(f.key()))) {
                return false;
            }
            List<FileEntry> files = m.files().stream().map(f -> {
                FileEntry r = replacements.get(f.key());
                return r == null ? f : new FileEntry(r.key(), r.rows(), r.bytes(), r.etag(), f.source());
            }).toList();
            verifier.verify(m.schema(), m.files().stream().map(f -> replacements.get(f.key())).filter(java.util.Objects::nonNull).toList());
            Manifest erased = new Manifest(dataset, version, m.schema(), files,
                    files.stream().mapToLong(FileEntry::rows).sum(), m.createdAt(), ContentHash.of(m.schema(), files),
                    erasedAt.truncatedTo(ChronoUnit.MILLIS), erasureId);
            write(dataset, () -> {
                store.put(erased); // over the version's own object: the sanctioned exception to "written once"
                return erased;
            });
            Manifest cur = latest.get(dataset);
            if (cur != null && cur.version() == version) {
                latest.put(dataset, erased);
            } else {
                older.put(erased);
            }
            references.forget(dataset); // rebuilt from the stored manifests on the next lookup
            return true;
        }
    }

    @Override
    public void rewritten(String dataset) {
        listener.erased(dataset);
    }

    // ---- internals; callers hold the dataset's lock unless noted ----

    private Object lock(String dataset) {
        return locks.computeIfAbsent(dataset, k -> new Object());
    }

    /** 503 until the catalog is loaded (also before a keyed registration reads its record). */
    void requireReady() {
        if (!ready) {
            throw new ServiceUnavailable("catalogd is still loading its state from storaged", ErrorCodes.NOT_READY, 1);
        }
    }

    /** Datasets whose stored state cannot be read, by name, with the reason. */
    Map<String, String> failed() {
        return new java.util.TreeMap<>(failed);
    }

    private void requireNotFailed(String dataset) {
        String why = failed.get(dataset);
        if (why != null) {
            throw new Conflict("dataset '" + dataset + "' is failed: " + why,
                    Map.of("code", "dataset_failed", "dataset", dataset, "reason", why));
        }
    }

    private static NotFound notFound(String dataset) {
        return new NotFound("dataset '" + dataset + "' not found", Map.of("code", ErrorCodes.DATASET_NOT_FOUND, "dataset", dataset));
    }

    /** The latest manifest for a writer: re-read from storage first if an earlier write's outcome is unknown. */
    private Manifest current(String dataset) {
        requireReady();
        if (suspect.contains(dataset)) {
            loadOrFail(dataset, store.scan(dataset));
            suspect.remove(dataset);
        }
        requireNotFailed(dataset);
        return latest.get(dataset);
    }

    /** The latest manifest for a reader (lock-free unless the dataset is suspect). */
    private Manifest currentForRead(String dataset) {
        requireReady();
        if (suspect.contains(dataset)) {
            synchronized (lock(dataset)) {
                return current(dataset);
            }
        }
        requireNotFailed(dataset);
        return latest.get(dataset);
    }

    /** Runs a storage write; if it fails the outcome is unknown, so the dataset is re-read before its next use. */
    private <T> T write(String dataset, java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            suspect.add(dataset);
            log.warn("storage write for dataset {} failed; will re-read it before next use: {}", dataset, e.toString());
            throw e instanceof dev.lakehouse.common.error.ApiException ? e
                    : new BadGateway("storage write failed: " + e.getMessage(), e);
        }
    }

    /** {@link #load}, or, if its stored manifests cannot be read, marks only this dataset failed. */
    private void loadOrFail(String dataset, ManifestStore.Entry entry) {
        try {
            if (entry.badKey() != null && !entry.tombstone()) {
                throw new CorruptManifest(entry.badKey(), "its version is not a number from 1 to " + Integer.MAX_VALUE);
            }
            load(dataset, entry);
            failed.remove(dataset);
        } catch (CorruptManifest e) {
            latest.remove(dataset);
            older.forget(dataset);
            failed.put(dataset, e.getMessage());
            log.error("dataset {} marked failed: {}", dataset, e.getMessage());
        }
    }

    /** Sets the in-memory state of {@code dataset} from what storaged holds, finishing a delete if one was cut short. */
    private void load(String dataset, ManifestStore.Entry entry) {
        older.forget(dataset);
        references.forget(dataset);
        if (entry.tombstone()) {
            log.info("finishing interrupted delete of dataset {}", dataset);
            latest.remove(dataset);
            purge(dataset, entry);
            return;
        }
        if (entry.latest() == 0) {
            latest.remove(dataset);
            return;
        }
        Manifest m = store.get(dataset, entry.latest())
                .orElseThrow(() -> new BadGateway("manifest of " + dataset + " v" + entry.latest() + " vanished while loading"));
        latest.put(dataset, m);
    }

    /**
     * Removes a tombstoned dataset from storage: data files its manifests reference under
     * {@code datasets/{name}/}, then the manifests, then the tombstone. Idempotent, so a crash mid-way is
     * finished by running it again. Returns {versions, files} removed.
     */
    private int[] purge(String dataset, ManifestStore.Entry entry) {
        String own = StorageLayout.DATASETS_PREFIX + dataset + "/";
        Set<String> files = new LinkedHashSet<>();
        for (int v : entry.versions()) {
            store.get(dataset, v).ifPresent(m -> {
                for (FileEntry f : m.files()) {
                    if (f.key().startsWith(own)) {
                        files.add(f.key());
                    }
                }
            });
        }
        for (String key : files) {
            store.deleteObject(key);
        }
        for (int v : entry.versions()) {
            store.deleteManifest(dataset, v);
        }
        store.deleteTombstone(dataset);
        return new int[] {entry.versions().size(), files.size()};
    }

    /** catalogd's own metrics: datasets, their versions, failed datasets. */
    void bindMetrics(io.micrometer.core.instrument.MeterRegistry m) {
        io.micrometer.core.instrument.Gauge.builder("catalogd_datasets", latest, Map::size).description("datasets").register(m);
        io.micrometer.core.instrument.Gauge.builder("catalogd_versions", latest,
                l -> l.values().stream().mapToLong(Manifest::version).sum()).description("versions of all datasets").register(m);
        io.micrometer.core.instrument.Gauge.builder("catalogd_failed_datasets", failed, Map::size)
                .description("datasets whose stored state cannot be read").register(m);
    }

    /** For /health. */
    Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        if (!ready) {
            h.put("status", "degraded");
            h.put("reason", "loading catalog from storaged");
        }
        h.put("datasets", latest.size());
        h.put("failed_datasets", failed.size());
        h.put("older_versions", older.stats());
        return h;
    }
}
