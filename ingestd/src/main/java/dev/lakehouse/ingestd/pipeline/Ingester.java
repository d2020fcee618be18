package dev.lakehouse.ingestd.pipeline;

import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.concurrent.Daemons;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.model.PutResult;
import dev.lakehouse.common.model.RegisterRequest;
import dev.lakehouse.common.model.Registration;
import dev.lakehouse.ingestd.format.BodyFormat;
import dev.lakehouse.ingestd.format.Converted;
import dev.lakehouse.ingestd.format.Phases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest: a spooled body ({@link BodyFormat}: CSV, NDJSON, Parquet) → schema check → Parquet → upload to storaged → register in catalogd. Nothing is
 * registered unless every step succeeded, and an uploaded file whose registration failed is deleted again.
 * Ingests of one dataset are serialized in this process; catalogd's expected_version guards against others.
 */
public final class Ingester {
    private static final Logger log = LoggerFactory.getLogger(Ingester.class);

    public enum Mode { APPEND, REPLACE }

    /** What an ingest produced. */
    public record Result(Registration registration, long rows, Map<String, Object> source) {}

    private final java.util.concurrent.atomic.LongAdder rowsIngested = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder bodyBytes = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder ingests = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder ingestNanos = new java.util.concurrent.atomic.LongAdder();

    /** ingestd's own metrics: rows and body bytes ingested, ingests and the time they took. */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry m) {
        io.micrometer.core.instrument.FunctionCounter.builder("ingestd_rows", rowsIngested, java.util.concurrent.atomic.LongAdder::sum)
                .description("rows ingested").register(m);
        io.micrometer.core.instrument.FunctionCounter.builder("ingestd_body_bytes", bodyBytes, java.util.concurrent.atomic.LongAdder::sum)
                .description("bytes of ingested bodies, decompressed").register(m);
        io.micrometer.core.instrument.FunctionCounter.builder("ingestd_streamed_uploads", streamedUploads, LongAdder::sum)
                .description("Parquet files uploaded while DuckDB wrote them").register(m);
        io.micrometer.core.instrument.FunctionCounter.builder("ingestd_streamed_upload_fallbacks", streamFallbacks, LongAdder::sum)
                .description("streamed uploads not used (the finished file was uploaded again)").register(m);
        io.micrometer.core.instrument.FunctionCounter.builder("ingestd_streamed_upload_overlap_bytes", streamOverlapBytes,
                LongAdder::sum).description("bytes of streamed uploads sent while DuckDB was still writing").register(m);
        io.micrometer.core.instrument.FunctionTimer.builder("ingestd_ingest", this, x -> x.ingests.sum(), x -> x.ingestNanos.sum(),
                java.util.concurrent.TimeUnit.NANOSECONDS).description("ingests registered, and the time they took").register(m);
    }

    private final StorageClient storage;
    private final CatalogClient catalog;
    private final Path workDir;
    private final PendingUploads pending;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();
    private final Streaming streaming;
    private final Semaphore streamSlots;
    // as many threads as streaming slots, at most: each runs one PUT
    private final ExecutorService streamThreads = Executors.newCachedThreadPool(Daemons.threads("ingest-stream-upload"));
    // one thread: clears are small DELETEs, in the order the registrations finished
    private final ExecutorService intentClears = Executors.newSingleThreadExecutor(Daemons.threads("ingest-intent-clear"));
    private final LongAdder streamedUploads = new LongAdder();
    private final LongAdder streamFallbacks = new LongAdder();
    private final LongAdder streamOverlapBytes = new LongAdder();

    /**
     * When the Parquet file is uploaded while DuckDB writes it ({@link StreamedUpload}, ADR 0028): at most {@code slots}
     * at once (each holds one of storaged's PUT slots for the conversion), for bodies of at least {@code minBodyBytes}
     * (below that the conversion is too short to overlap anything). {@code slots} 0: never.
     */
    public record Streaming(int slots, long minBodyBytes) {
        public static final Streaming OFF = new Streaming(0, Long.MAX_VALUE);
    }

    public Ingester(StorageClient storage, CatalogClient catalog, Path workDir, PendingUploads pending) {
        this(storage, catalog, workDir, pending, Streaming.OFF);
    }

    public Ingester(StorageClient storage, CatalogClient catalog, Path workDir, PendingUploads pending, Streaming streaming) {
        this.pending = pending;
        this.storage = storage;
        this.catalog = catalog;
        this.workDir = workDir;
        this.streaming = streaming;
        this.streamSlots = new Semaphore(Math.max(0, streaming.slots()));
    }

    public static Mode mode(String value) {
        if (value == null || value.isBlank() || value.equals("append")) {
            return Mode.APPEND;
        }
        if (value.equals("replace")) {
            return Mode.REPLACE;
        }
        throw new BadRequest("mode must be 'append' or 'replace', got '" + value + "'");
    }

    /** Ingests the spooled body at {@code body}, read as {@code format} (the caller deletes it). */
    public Result ingest(String dataset, Mode mode, BodyFormat format, Path body, Phases phases) throws IOException {
        return ingest(dataset, mode, format, body, newFileKey(DatasetNames.require(dataset)), phases);
    }

    /** The key of a new data file of {@code dataset}. */
    public static String newFileKey(String dataset) {
        return StorageLayout.DATASETS_PREFIX + dataset + "/" + UUID.randomUUID() + ".parquet";
    }

    /** As {@link #ingest(String, Mode, BodyFormat, Path, Phases)}, writing the data file at {@code fileKey} (planned by the caller). */
    public Result ingest(String dataset, Mode mode, BodyFormat format, Path body, String fileKey, Phases phases)
            throws IOException {
        DatasetNames.require(dataset);
        Path parquet = workDir.resolve(UUID.randomUUID() + ".parquet");
        try {
            synchronized (lock(dataset)) {
                long t0 = System.nanoTime();
                Optional<Manifest> latest = catalog.latest(dataset);
                List<ColumnSpec> current = mode == Mode.APPEND ? latest.map(Manifest::schema).orElse(null) : null;
                StreamedUpload[] upload = {streamedUpload(dataset, fileKey, parquet, format.expectedBytes(body))};
                phases.end("plan");
                Converted c;
                StreamedUpload streamed;
                try {
                    c = format.convert(dataset, current, body, parquet, phases, () -> restart(upload, fileKey, parquet));
                    streamed = upload[0];
                    phases.end("convert");
                    if (streamed != null) {
                        streamed.awaitIntent(); // recorded beside the conversion; nothing is registered without it
                    }
                } catch (IOException | RuntimeException e) {
                    streamed = upload[0];
                    if (streamed != null) {
                        streamed.abort();
                        streamSlots.release();
                        discardQuietly(fileKey);
                    }
                    throw e;
                }
                long t1 = System.nanoTime();
                Result r;
                try {
                    r = publish(dataset, mode, latest, c, parquet, fileKey, streamed, phases);
                } finally {
                    if (streamed != null) {
                        streamSlots.release();
                    }
                }
                long t2 = System.nanoTime();
                rowsIngested.add(c.rows());
                bodyBytes.add(Files.size(body));
                ingests.increment();
                ingestNanos.add(t2 - t0);
                log.info("ingested {} v{} ({}): {} rows, body {} B -> parquet {} B; convert {} ms, upload+register {} ms{}; {}",
                        dataset, r.registration().manifest().version(), mode, c.rows(), Files.size(body),
                        Files.size(parquet), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                        streamed == null ? "" : " (" + streamed.sentWhileWriting() + " B uploaded during the conversion)",
                        phases.summary());
                return r;
            }
        } finally {
            Files.deleteIfExists(parquet);
            // DuckDB's COPY writes tmp_<name> and renames it at the end; a COPY that failed (a streamed conversion
            // whose body was cut) can leave it
            Files.deleteIfExists(parquet.resolveSibling("tmp_" + parquet.getFileName()));
        }
    }

    /**
     * The format discards what it wrote and writes the file again (a streamed conversion that fell back): the file and
     * its streamed upload so far go — the PUT is cut, storaged stores nothing — and a new streamed upload follows the
     * new file under the same key (its intent is recorded already; the slot stays held).
     */
    private void restart(StreamedUpload[] upload, String key, Path parquet) throws IOException {
        Files.deleteIfExists(parquet);
        Files.deleteIfExists(parquet.resolveSibling("tmp_" + parquet.getFileName()));
        StreamedUpload old = upload[0];
        if (old == null) {
            return;
        }
        old.awaitIntent();
        old.abort();
        storage.delete(key); // as after a failed conversion: nothing of the first file is left under the key
        upload[0] = StreamedUpload.start(storage, key, parquet, streamThreads,
                java.util.concurrent.CompletableFuture.completedFuture(null));
    }

    /** Stops the streamed-upload threads and lets the intent clears queued so far finish (after the HTTP server has finished its requests). */
    public void close() {
        streamThreads.shutdownNow();
        intentClears.shutdown();
        try {
            if (!intentClears.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                intentClears.shutdownNow(); // the janitor of the next start resolves what is left
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The monitor ingests of {@code dataset} hold in this process ({@link Compactor} registers under it too). */
    Object lock(String dataset) {
        return locks.computeIfAbsent(dataset, k -> new Object());
    }

    /**
     * Uploads the Parquet file and registers it. An intent recorded before the upload is cleared once the
     * outcome is known; if registering fails, the catalog is asked whether it landed anyway (catalogd may
     * have written the manifest and died before answering) and the upload is deleted only if it did not.
     * When the catalog cannot tell, the intent stays for the janitor ({@link PendingUploads}).
     */
    public Result publish(String dataset, Mode mode, Optional<Manifest> latest, Converted c, Path parquet) {
        return publish(dataset, mode, latest, c, parquet, newFileKey(dataset), null, Phases.start());
    }

    /** As above; {@code streamed} (or null) is the upload already under way, whose intent is recorded. */
    Result publish(String dataset, Mode mode, Optional<Manifest> latest, Converted c, Path parquet, String key,
            StreamedUpload streamed, Phases phases) {
        if (streamed == null) {
            pending.record(dataset, key);
        }
        PutResult put;
        try {
            put = streamed == null ? null : finished(streamed);
            if (put == null) {
                put = storage.put(key, parquet, "ingest-upload:" + key);
            }
        } catch (RuntimeException e) {
            resolveQuietly(dataset, key);
            throw e;
        }
        phases.end("upload");
        try {
            List<FileEntry> files = new ArrayList<>();
            if (mode == Mode.APPEND && latest.isPresent()) {
                files.addAll(latest.get().files());
            }
            files.add(new FileEntry(key, c.rows(), put.size(), put.etag(), c.source().isEmpty() ? null : c.source()));
            int expected = latest.map(Manifest::version).orElse(0);
            // keyed by the file: a retry of this registration (OkHttp's or ours) never makes a second version
            Registration reg = catalog.register(dataset, new RegisterRequest(c.schema(), files, expected),
                    "ingest-register:" + key);
            clearQuietly(key);
            phases.end("register");
            return new Result(reg, c.rows(), c.source());
        } catch (RuntimeException e) {
            resolveQuietly(dataset, key);
            throw e;
        }
    }

    /**
     * A streamed upload of {@code parquet} to {@code key}, started before the conversion writes it, or null when the
     * body is small or every streaming slot is taken (then the file is uploaded once written). Its intent is recorded
     * first, so a crash at any point leaves nothing the janitor does not remove. The caller releases the slot.
     */
    private StreamedUpload streamedUpload(String dataset, String key, Path parquet, long bodyBytes) {
        if (bodyBytes < streaming.minBodyBytes() || !streamSlots.tryAcquire()) {
            return null;
        }
        // the intent is written beside the sniff and the conversion's start (one storaged PUT off the critical
        // path, ADR 0047); the streamed PUT sends no byte before it is durable, and the ingest waits for it
        Future<?> intent = streamThreads.submit(() -> pending.record(dataset, key));
        return StreamedUpload.start(storage, key, parquet, streamThreads, intent);
    }

    /** What the streamed upload stored, or null when it could not be used (the file is then uploaded again). */
    private PutResult finished(StreamedUpload streamed) {
        try {
            Optional<PutResult> r = streamed.finish();
            (r.isPresent() ? streamedUploads : streamFallbacks).increment();
            r.ifPresent(p -> streamOverlapBytes.add(streamed.sentWhileWriting()));
            return r.orElse(null);
        } catch (IOException e) {
            streamed.abort();
            streamFallbacks.increment();
            return null;
        }
    }

    /** A conversion failed after its streamed upload began: nothing was registered, so the key and its intent go. */
    private void discardQuietly(String key) {
        try {
            storage.delete(key);
            pending.clear(key);
        } catch (RuntimeException e) {
            log.warn("could not discard the streamed upload {} now ({}); the janitor will", key, e.toString());
        }
    }

    /** Resolves the intent of an upload that failed to register, leaving it to the janitor when that fails too. */
    void resolveQuietly(String dataset, String key) {
        try {
            if (!pending.resolve(dataset, key)) {
                log.warn("outcome of {} unknown (catalogd unreachable); the janitor will resolve it", key);
            }
        } catch (RuntimeException e) {
            log.warn("could not resolve upload {} now ({}); the janitor will", key, e.toString());
        }
    }

    /**
     * Clears the intent of a registered file after the answer rather than before it (ADR 0047): an intent left by
     * a crash meanwhile names a file the catalog references, which the janitor keeps and clears.
     */
    void clearQuietly(String key) {
        try {
            intentClears.execute(() -> {
                try {
                    pending.clear(key);
                } catch (RuntimeException e) {
                    log.warn("registered {} but could not clear its intent ({}); the janitor will", key, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.warn("registered {} while stopping; its intent is left for the janitor", key);
        }
    }

}
