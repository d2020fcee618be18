package dev.lakehouse.ingestd.pipeline;

import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.concurrent.Daemons;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.common.model.Registration;
import dev.lakehouse.ingestd.csv.DuckCsv;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small-file compaction: a dataset's files rewritten by DuckDB into as few zstd Parquet files as the target size
 * allows, registered as a <em>new version</em> (older versions keep their manifests and files, so time travel keeps
 * answering as before; catalogd keeps every version, so no file is deleted). The rewrite streams through local disk
 * under DuckDB's memory limit. An append registered meanwhile is not lost: the new version is rebased onto the
 * latest (the compacted files replaced, every other file kept) with {@code expected_version}, retried; the final
 * register holds {@link Ingester#lock}, so appends through this ingestd never see a 409 for it. Automatic once an
 * ingest leaves more than {@code ingestd.compact_file_threshold} files. See docs/adr/0020-compaction-as-a-version.md.
 */
public final class Compactor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    private static final int REBASES = 8;

    /** What a compaction did: the registration (null when there was nothing to do) and files before/after. */
    public record Outcome(Registration registration, Manifest manifest, int filesBefore, int filesAfter) {}

    /** Rewritten files, uploaded but not registered, and the keys of the files they replace. */
    public record Rewritten(Manifest from, List<FileEntry> files, Set<String> replaced) {}

    private final DuckCsv duck;
    private final StorageClient storage;
    private final CatalogClient catalog;
    private final PendingUploads pending;
    private final Ingester ingester;
    private final Path workDir;
    private final long targetBytes;
    private final int threshold;
    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    private final ExecutorService background = Executors.newSingleThreadExecutor(Daemons.threads("ingest-compactor"));

    public Compactor(DuckCsv duck, StorageClient storage, CatalogClient catalog, PendingUploads pending, Ingester ingester,
            Path workDir, long targetBytes, int threshold) {
        this.duck = duck;
        this.storage = storage;
        this.catalog = catalog;
        this.pending = pending;
        this.ingester = ingester;
        this.workDir = workDir;
        this.targetBytes = targetBytes;
        this.threshold = threshold;
    }

    /** Compacts the latest version of {@code dataset} now; 404 if it does not exist. */
    public Outcome compact(String dataset) throws IOException {
        DatasetNames.require(dataset);
        Manifest latest = catalog.latest(dataset).orElseThrow(() -> new NotFound("no dataset '" + dataset + "'",
                Map.of("code", "dataset_not_found")));
        if (latest.files().size() <= 1) {
            return new Outcome(null, latest, latest.files().size(), latest.files().size());
        }
        Rewritten r = rewrite(latest);
        Registration reg = publish(dataset, r);
        return new Outcome(reg, reg.manifest(), latest.files().size(), reg.manifest().files().size());
    }

    /** Queues a compaction of {@code m}'s dataset when it holds more files than the threshold (0: never). */
    public void afterIngest(Manifest m) {
        if (threshold <= 0 || m.files().size() <= threshold || !scheduled.add(m.dataset())) {
            return;
        }
        background.submit(() -> {
            try {
                Outcome o = compact(m.dataset());
                log.info("compacted {}: {} -> {} files (v{})", m.dataset(), o.filesBefore(), o.filesAfter(),
                        o.manifest().version());
            } catch (IOException | RuntimeException e) {
                log.warn("automatic compaction of {} failed: {}", m.dataset(), e.toString());
            } finally {
                scheduled.remove(m.dataset());
            }
        });
    }

    /** Downloads {@code from}'s files, rewrites them into files of about the target size and uploads those. */
    public Rewritten rewrite(Manifest from) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("compact-" + UUID.randomUUID()));
        List<FileEntry> uploaded = new ArrayList<>();
        try {
            List<String> inputs = new ArrayList<>();
            for (FileEntry f : from.files()) {
                Path local = dir.resolve("in-" + inputs.size() + ".parquet");
                try (InputStream in = storage.get(f.key())) {
                    Files.copy(in, local);
                }
                inputs.add(DuckCsv.literal(local.toString()));
            }
            Path out = dir.resolve("out");
            List<Path> written = write(inputs, out, from.rows());
            String dataset = from.dataset();
            for (Path p : written) {
                String key = StorageLayout.DATASETS_PREFIX + dataset + "/" + UUID.randomUUID() + ".parquet";
                pending.record(dataset, key);
                PutResult put;
                try {
                    put = storage.put(key, p);
                } catch (RuntimeException e) {
                    ingester.resolveQuietly(dataset, key);
                    throw e;
                }
                uploaded.add(new FileEntry(key, rows(p), put.size(), put.etag(),
                        Map.of("format", "compaction", "from_version", from.version())));
            }
            Set<String> replaced = from.files().stream().map(FileEntry::key).collect(Collectors.toSet());
            return new Rewritten(from, uploaded, replaced);
        } catch (IOException | RuntimeException e) {
            uploaded.forEach(f -> ingester.resolveQuietly(from.dataset(), f.key()));
            throw e;
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Registers {@code r} as a new version on top of the latest: the replaced files swapped for the rewritten ones,
     * any file appended meanwhile kept. Gives up (uploads removed, 409) when a replaced file left the dataset (a
     * replace or another compaction came first) or the schema changed.
     */
    public Registration publish(String dataset, Rewritten r) {
        try {
            for (int attempt = 0; ; attempt++) {
                Manifest latest = catalog.latest(dataset).orElseThrow(() -> new Conflict("dataset '" + dataset
                        + "' was deleted during compaction", Map.of("code", "compaction_superseded")));
                Set<String> present = latest.files().stream().map(FileEntry::key).collect(Collectors.toSet());
                if (!present.containsAll(r.replaced()) || !latest.schema().equals(r.from().schema())) {
                    throw new Conflict("dataset '" + dataset + "' was replaced during compaction; nothing changed",
                            Map.of("code", "compaction_superseded"));
                }
                List<FileEntry> files = new ArrayList<>(r.files());
                latest.files().stream().filter(f -> !r.replaced().contains(f.key())).forEach(files::add);
                try {
                    Registration reg;
                    synchronized (ingester.lock(dataset)) {
                        reg = catalog.register(dataset, new RegisterRequest(latest.schema(), files, latest.version()));
                    }
                    r.files().forEach(f -> ingester.clearQuietly(f.key()));
                    return reg;
                } catch (Conflict stale) {
                    if (attempt + 1 >= REBASES || !stale.details().containsKey("current_version")) {
                        throw stale;
                    }
                    // another writer registered first: rebase onto its version
                }
            }
        } catch (RuntimeException e) {
            r.files().forEach(f -> ingester.resolveQuietly(dataset, f.key()));
            throw e;
        }
    }

    private List<Path> write(List<String> inputs, Path out, long expectedRows) throws IOException {
        try (Connection c = duck.connection(); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_parquet([" + String.join(", ", inputs) + "])) TO "
                    + DuckCsv.literal(out.toString()) + " (FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES "
                    + targetBytes + ")");
            if (s.getUpdateCount() != expectedRows) {
                throw new IllegalStateException("compaction wrote " + s.getUpdateCount() + " rows, expected " + expectedRows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("compaction failed: " + DuckCsv.firstLine(e.getMessage()), e);
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.sorted().toList();
        }
    }

    private long rows(Path parquet) {
        try (Connection c = duck.connection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT num_rows FROM parquet_file_metadata("
                        + DuckCsv.literal(parquet.toString()) + ")")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read back " + parquet + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning " + dir, e);
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
