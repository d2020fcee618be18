package dev.lakehouse.catalogd.erasure;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The erasure coordinator (ADR 0024). An erasure is a durable intent, carried out on one background thread, one
 * erasure at a time, and retried until complete — also after a restart (resumed from storage). Per dataset, under its
 * write lock: every kept version's files with matching rows are rewritten without them (new files, by queryd) → the
 * replacements are recorded in the intent → every version is rewritten to point at them → queryd's cache drops the
 * dataset → the old files are deleted. So no version ever points at a deleted file, and every step can be redone.
 * Then each vector index removes its items. Then the audit log gets its one entry and the intent forgets the
 * predicates and ids.
 */
public final class Eraser implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Eraser.class);

    private final ErasableCatalog catalog;
    private final StorageClient storage;
    private final ErasureStore store;
    private final QuerydSteps queryd;
    private final VectordSteps vectord;
    private final Clock clock;
    private final Duration retry;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "catalogd-erasure");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ErasureIntent> known = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Eraser(ErasableCatalog catalog, StorageClient storage, QuerydSteps queryd, VectordSteps vectord, Clock clock,
            Duration retry) {
        this.catalog = catalog;
        this.storage = storage;
        this.store = new ErasureStore(storage);
        this.queryd = queryd;
        this.vectord = vectord;
        this.clock = clock;
        this.retry = retry;
    }

    /** The coordinator with its peers at these URLs; a step that does not answer within {@code stepTimeout} is retried. */
    public static Eraser create(ErasableCatalog catalog, StorageClient storage, String querydUrl, String vectordUrl,
            dev.lakehouse.common.auth.FleetCredential credential, Duration retry, Duration stepTimeout) {
        okhttp3.OkHttpClient http = dev.lakehouse.common.client.HttpClients.idleTimed(stepTimeout);
        return new Eraser(catalog, storage, new QuerydSteps(querydUrl, http, credential),
                new VectordSteps(vectordUrl, http, credential), Clock.systemUTC(), retry);
    }

    /** Per dataset and version the matching rows and the files a rewrite would replace; per index the items present. */
    Map<String, Object> dryRun(ErasureRequest.Valid req) {
        Map<String, Object> datasets = new LinkedHashMap<>();
        req.datasets().forEach((name, predicate) -> datasets.put(name, catalog.locked(name, () -> {
            int latest = requireDataset(name);
            Map<String, Long> matching = new LinkedHashMap<>();
            List<Map<String, Object>> versions = new ArrayList<>();
            for (int v = 1; v <= latest; v++) {
                long rows = 0;
                List<String> files = new ArrayList<>();
                for (FileEntry f : catalog.version(name, v).files()) {
                    long n = matching.computeIfAbsent(f.key(), k -> queryd.count(name, f, predicate));
                    if (n > 0) {
                        rows += n;
                        files.add(f.key());
                    }
                }
                versions.add(Map.of("version", v, "matching_rows", rows, "files", files));
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("matching_rows", matching.values().stream().mapToLong(Long::longValue).sum());
            d.put("files", matching.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList());
            d.put("versions", versions);
            return d;
        })));
        Map<String, Object> vectors = new LinkedHashMap<>();
        req.vectors().forEach((index, t) -> {
            List<String> present = vectord.erase(index, t.ids(), t.filter(), true).present();
            vectors.put(index, Map.of("items", present, "count", present.size()));
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dry_run", true);
        out.put("subject", req.subject());
        out.put("datasets", datasets);
        out.put("vectors", vectors);
        return out;
    }

    /**
     * Checks what can be checked before anything changes (datasets exist, each predicate binds on a file of the
     * latest version, indexes exist), stores the intent, and starts it. Returns the intent as stored.
     */
    ErasureIntent start(ErasureRequest.Valid req, String requestedBy) {
        ErasureIntent in = new ErasureIntent();
        in.id = UUID.randomUUID().toString();
        in.subject = req.subject();
        in.requestedBy = requestedBy;
        in.requestedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        in.state = ErasureIntent.IN_PROGRESS;
        req.datasets().forEach((name, predicate) -> {
            Manifest latest = catalog.version(name, requireDataset(name));
            if (!latest.files().isEmpty()) {
                queryd.count(name, latest.files().get(0), predicate); // a predicate that does not bind is a 400 now
            }
            ErasureIntent.DatasetPart p = new ErasureIntent.DatasetPart();
            p.predicate = predicate;
            p.predicateSha256 = sha256(predicate);
            in.datasets.put(name, p);
        });
        req.vectors().forEach((index, t) -> {
            ErasureIntent.IndexPart p = new ErasureIntent.IndexPart();
            p.ids = t.ids();
            p.filter = t.filter();
            // also checks that the index exists and (vectord parses it) that the filter is valid
            List<String> present = vectord.erase(index, t.ids(), t.filter(), true).present();
            if (t.ids() != null) {
                p.idsSha256 = sha256(String.join("\n", t.ids()));
                p.idCount = t.ids().size();
            } else {
                p.filterSha256 = sha256(t.filter().toString());
                p.idCount = present.size(); // the items it matched at the start; the step erases those it matches then
            }
            p.removed = present.size();
            in.vectors.put(index, p);
        });
        store.put(in);
        known.put(in.id, in);
        submit(in);
        return in;
    }

    /** Resumes every erasure storage holds as in progress (called once the catalog is loaded). */
    public void resumeAll() {
        for (ErasureIntent in : store.all()) {
            known.put(in.id, in);
            if (ErasureIntent.IN_PROGRESS.equals(in.state)) {
                log.info("resuming erasure {} (subject {})", in.id, in.subject);
                submit(in);
            }
        }
    }

    Optional<Map<String, Object>> status(String id) {
        ErasureIntent in = known.get(id);
        if (in == null) {
            in = store.get(id).orElse(null);
        }
        return Optional.ofNullable(in).map(i -> summary(i, true));
    }

    List<Map<String, Object>> log(String after, int limit) {
        return store.log(after, limit);
    }

    private void submit(ErasureIntent in) {
        worker.execute(() -> runUntilDone(in));
    }

    private void runUntilDone(ErasureIntent in) {
        while (!closed) {
            try {
                while (!catalog.ready()) {
                    Thread.sleep(retry.toMillis());
                }
                advance(in);
                return;
            } catch (ApiException e) {
                if (e.status() == 400 || e.status() == 404) {
                    // the request itself cannot be carried out (a predicate that stopped binding, an index deleted):
                    // retrying would change nothing; what was done stays done, the rest is reported
                    dropOrphans(in); // first: a status that says failed has nothing left to clean
                    in.state = ErasureIntent.FAILED;
                    in.error = e.getMessage();
                    trySave(in);
                    log.error("erasure {} failed: {}", in.id, e.getMessage());
                    return;
                }
                log.warn("erasure {} step failed ({}); retrying in {} ms", in.id, e.getMessage(), retry.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("erasure {} step failed ({}); retrying in {} ms", in.id, e.toString(), retry.toMillis());
            }
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void advance(ErasureIntent in) {
        in.datasets.forEach((name, part) -> {
            if (!part.done) {
                catalog.locked(name, () -> {
                    eraseDataset(in, name, part);
                    return null;
                });
            }
        });
        in.vectors.forEach((index, part) -> {
            if (!part.done) {
                VectordSteps.Erased e = vectord.erase(index, part.ids, part.filter, false);
                part.removed = Math.max(part.removed, e.removed());
                part.done = true;
                store.put(in);
            }
        });
        in.state = ErasureIntent.COMPLETE;
        if (in.completedAt == null) {
            in.completedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        store.appendLog(in, summary(in, false));
        in.datasets.values().forEach(p -> p.predicate = null);
        in.vectors.values().forEach(p -> {
            p.ids = null;
            p.filter = null;
        });
        store.put(in);
        log.info("erasure {} complete: {}", in.id, summary(in, false));
    }

    /** One dataset, under its lock; every step is idempotent, so a resumed erasure redoes what was cut short. */
    private void eraseDataset(ErasureIntent in, String name, ErasureIntent.DatasetPart part) {
        int latest = catalog.latestVersion(name);
        if (latest == 0) {
            part.done = true; // deleted meanwhile: its files went with it
            store.put(in);
            return;
        }
        Set<String> written = part.replacements.values().stream().map(FileEntry::key).collect(Collectors.toSet());
        Map<String, FileEntry> files = new LinkedHashMap<>();
        for (int v = 1; v <= latest; v++) {
            catalog.version(name, v).files().forEach(f -> files.putIfAbsent(f.key(), f));
        }
        for (FileEntry f : files.values()) {
            if (part.replacements.containsKey(f.key()) || written.contains(f.key())) {
                continue;
            }
            if (queryd.count(name, f, part.predicate) > 0) {
                QuerydSteps.Rewritten r = queryd.rewrite(name, f, part.predicate, targetKey(in.id, name, f.key()));
                part.replacements.put(f.key(), r.entry());
                part.rowsRemoved += r.removed();
            }
        }
        store.put(in); // the replacements are durable before any version points at them
        for (int v = 1; v <= latest; v++) {
            catalog.replaceFiles(name, v, part.replacements, in.id, clock.instant());
        }
        catalog.rewritten(name); // the Iceberg tables name the new files too before the old ones go
        queryd.evict(name);
        String own = StorageLayout.DATASETS_PREFIX + name + "/";
        part.notDeleted.clear();
        for (String old : part.replacements.keySet()) {
            if (old.startsWith(own)) {
                storage.delete(old);
            } else {
                part.notDeleted.add(old);
            }
        }
        int versions = 0;
        for (int v = 1; v <= latest; v++) {
            versions += in.id.equals(catalog.version(name, v).erasureId()) ? 1 : 0;
        }
        part.versionsRewritten = versions;
        part.done = true;
        store.put(in);
    }

    /**
     * After a failure: the files this erasure rewrote for a dataset it did not finish, that no version points at
     * (the versions are rewritten only once every file is), are deleted — they hold the other rows of files that stay,
     * and nothing would ever read or delete them. Found by the intent's replacements and by the erasure's key prefix
     * (a rewrite cut short by a crash may not have reached the intent). Best effort: what cannot be deleted is logged.
     */
    private void dropOrphans(ErasureIntent in) {
        in.datasets.forEach((name, part) -> {
            if (part.done) {
                return;
            }
            try {
                catalog.locked(name, () -> {
                    Set<String> referenced = new java.util.HashSet<>();
                    for (int v = 1, latest = catalog.latestVersion(name); v <= latest; v++) {
                        catalog.version(name, v).files().forEach(f -> referenced.add(f.key()));
                    }
                    Set<String> ours = new java.util.LinkedHashSet<>();
                    part.replacements.values().forEach(f -> ours.add(f.key()));
                    storage.listAll(targetPrefix(in.id, name)).forEach(o -> ours.add(o.key()));
                    for (String key : ours) {
                        if (!referenced.contains(key)) {
                            storage.delete(key);
                            log.info("erasure {} failed: deleted its unused rewrite {}", in.id, key);
                        }
                    }
                    part.replacements.values().removeIf(f -> !referenced.contains(f.key()));
                    if (part.replacements.isEmpty()) {
                        part.rowsRemoved = 0; // no version lost a row
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                log.warn("erasure {} failed: cannot delete its unused rewrites of {}: {}", in.id, name, e.toString());
            }
        });
    }

    /** Where a rewritten file goes: the same key on every attempt, so a redone rewrite overwrites, never piles up. */
    static String targetKey(String erasureId, String dataset, String oldKey) {
        return targetPrefix(erasureId, dataset) + sha256(oldKey).substring(0, 16) + ".parquet";
    }

    static String targetPrefix(String erasureId, String dataset) {
        return StorageLayout.DATASETS_PREFIX + dataset + "/erased-" + erasureId + "-";
    }

    /** The record's public face (status and audit log): counts and hashes, never a predicate, an id or a value. */
    private static Map<String, Object> summary(ErasureIntent in, boolean withState) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("erasure_id", in.id);
        if (withState) {
            out.put("state", in.state);
        }
        out.put("subject", in.subject);
        out.put("requested_by", in.requestedBy);
        out.put("requested_at", in.requestedAt.toString());
        if (in.completedAt != null) {
            out.put("completed_at", in.completedAt.toString());
        }
        if (in.error != null) {
            out.put("error", in.error);
        }
        Map<String, Object> ds = new LinkedHashMap<>();
        in.datasets.forEach((name, p) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("predicate_sha256", p.predicateSha256);
            d.put("rows_removed", p.rowsRemoved);
            d.put("files_rewritten", p.replacements.size());
            d.put("versions_rewritten", p.versionsRewritten);
            d.put("files_not_deleted", p.notDeleted.size());
            d.put("done", p.done);
            ds.put(name, d);
        });
        out.put("datasets", ds);
        Map<String, Object> vs = new LinkedHashMap<>();
        in.vectors.forEach((index, p) -> {
            Map<String, Object> v = new LinkedHashMap<>();
            if (p.filterSha256 != null) {
                v.put("filter_sha256", p.filterSha256);
            } else {
                v.put("ids_sha256", p.idsSha256);
            }
            v.put("ids_requested", p.idCount);
            v.put("items_removed", p.removed);
            v.put("done", p.done);
            vs.put(index, v);
        });
        out.put("vectors", vs);
        return out;
    }

    private int requireDataset(String name) {
        int latest = catalog.latestVersion(name);
        if (latest == 0) {
            throw new NotFound("dataset '" + name + "' not found", Map.of("code", ErrorCodes.DATASET_NOT_FOUND, "dataset", name));
        }
        return latest;
    }

    private void trySave(ErasureIntent in) {
        try {
            store.put(in);
        } catch (RuntimeException e) {
            log.warn("cannot store erasure {}: {}", in.id, e.getMessage());
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** For /health: erasures by state. */
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        for (ErasureIntent in : known.values()) {
            h.merge(in.state, 1, (a, b) -> (Integer) a + (Integer) b);
        }
        return h;
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
    }
}
