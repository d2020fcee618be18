package dev.lakehouse.vectord.source;

import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.vectord.store.Threads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dataset-backed indexes (ADR 0025, "Indexes that follow a dataset"): their sync states, a sync on demand
 * ({@code POST /index/{name}/sync}) and a poll of catalogd every {@code vectord.source_poll_interval} that syncs
 * each index whose dataset has a version (or content hash) it does not reflect. One sync per index at a time.
 */
public final class Sources implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sources.class);

    private final CatalogClient catalog;
    private final SourceStore store;
    private final SourceSync sync;
    private final Map<String, SyncState> states = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(Threads.named("vectord-source-poll"));

    public Sources(CatalogClient catalog, dev.lakehouse.common.client.StorageClient storage, SqlClient sql,
                   dev.lakehouse.vectord.store.IndexRegistry registry, dev.lakehouse.vectord.api.TextEmbedder embedder,
                   int pageRows, int batchRows) {
        this.catalog = catalog;
        this.store = new SourceStore(storage);
        this.sync = new SourceSync(registry, embedder, sql, pageRows, batchRows);
    }

    /** Heap of the per-row hashes kept for every dataset-backed index (counted by memory admission). */
    public long memoryBytes() {
        long b = 0;
        for (SyncState s : states.values()) {
            b += s.rowHashes().memoryBytes();
        }
        return b;
    }

    /** Loads the stored states (after the indexes are loaded); a state whose index is gone is dropped. */
    public void loadAll(java.util.function.Predicate<String> indexExists) {
        for (SyncState s : store.loadAll()) {
            if (indexExists.test(s.index())) {
                states.put(s.index(), s);
            } else {
                store.delete(s.index());
            }
        }
    }

    /** Starts polling every {@code interval} (zero: only {@code POST /sync} syncs). */
    public void startPolling(Duration interval) {
        if (!interval.isZero() && !interval.isNegative()) {
            poller.scheduleWithFixedDelay(this::pollOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A new index follows {@code source}: the state is stored first (a crash mid-build resumes at the next poll), then synced. */
    public SyncState attach(String index, DatasetSource source) {
        SyncState s = SyncState.fresh(index, source);
        store.save(s);
        states.put(index, s);
        return sync(index);
    }

    public Optional<SyncState> state(String index) {
        return Optional.ofNullable(states.get(index));
    }

    /** Syncs now; a failure is kept in the state (status {@code failing}) and thrown to the caller. */
    public SyncState sync(String index) {
        SyncState prior = states.get(index);
        if (prior == null) {
            throw new Conflict("index '" + index + "' does not follow a dataset (create it with a source to sync it)",
                    Map.of("code", ErrorCodes.INDEX_HAS_NO_SOURCE, "index", index));
        }
        ReentrantLock lock = locks.computeIfAbsent(index, k -> new ReentrantLock());
        lock.lock();
        try {
            prior = states.get(index);
            if (prior == null) {
                throw new Conflict("index '" + index + "' was deleted", Map.of("code", ErrorCodes.INDEX_HAS_NO_SOURCE, "index", index));
            }
            SyncState next;
            try {
                Optional<Manifest> latest = catalog.latest(prior.source().dataset());
                if (latest.isEmpty()) {
                    next = prior.stale("dataset '" + prior.source().dataset() + "' was deleted; the index keeps the items of "
                            + "version " + prior.datasetVersion() + " and still answers searches");
                    if (SyncState.STALE.equals(prior.status())) {
                        return prior;
                    }
                } else if (prior.reflects(latest.get().version(), latest.get().contentHash())
                        && SyncState.IN_SYNC.equals(prior.status())) {
                    return prior;
                } else {
                    SourceSync.Outcome o = sync.run(prior, latest.get());
                    next = o.state();
                    log.info("index {} synced with {} v{}: {} rows embedded, {} removed, {} unchanged, {} skipped", index,
                            prior.source().dataset(), next.datasetVersion(), o.embedded(), o.removed(), o.unchanged(),
                            next.skippedRows());
                }
            } catch (RuntimeException e) {
                SyncState failed = prior.failing(e.getMessage());
                saveIfAttached(failed);
                throw e;
            }
            saveIfAttached(next);
            return next;
        } finally {
            lock.unlock();
        }
    }

    private void saveIfAttached(SyncState s) {
        if (states.replace(s.index(), s) != null) {
            store.save(s);
        }
    }

    void pollOnce() {
        for (String index : List.copyOf(states.keySet())) {
            try {
                sync(index);
            } catch (RuntimeException e) {
                log.warn("sync of index {} failed (retried at the next poll): {}", index, e.getMessage());
            }
        }
    }

    /** The index was deleted: forget its source. */
    public void drop(String index) {
        if (states.remove(index) != null) {
            store.delete(index);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
