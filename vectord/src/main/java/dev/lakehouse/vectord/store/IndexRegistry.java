package dev.lakehouse.vectord.store;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.filter.Filter;
import dev.lakehouse.vectord.retrieval.FilteredSearch;
import dev.lakehouse.vectord.wal.GroupCommit;
import dev.lakehouse.vectord.wal.WalOp;
import dev.lakehouse.vectord.wal.WalReplay;
import dev.lakehouse.vectord.wal.WalStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of index state: every create, add, delete, snapshot, compaction and drop goes through here
 * (routes never touch a {@link VectorIndex}'s mutators).
 *
 * <p>Durability: an add/delete batch is appended to the index's WAL (one record per group commit, in
 * storaged) before it is applied and acknowledged; a snapshot (one LHV1 PUT) records the last WAL sequence
 * it covers, then the records it covers are deleted. Snapshots are taken when the WAL since the last one
 * passes {@link Durability#snapshotWalBytes} or its oldest record {@link Durability#snapshotMaxAge}.
 * Recovery = snapshot + {@link WalReplay}.
 *
 * <p>Locking, one scheme: per index, {@code saveLock} serializes snapshot/compaction/drop; the graph's own
 * freeze (see {@link VectorIndex}) makes a snapshot consistent; the {@link GroupCommit} orders WAL appends and
 * applies. Threads: {@code vectord-wal-*} write records and read them at recovery, {@code vectord-snapshot-1}
 * takes snapshots and compactions.
 */
public final class IndexRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IndexRegistry.class);

    private final IndexStore store;
    private final StorageClient storage;
    private final WalStore wal;
    private final Durability d;
    private final Map<String, ManagedIndex> slots = new ConcurrentHashMap<>();
    private final AtomicLong admitted = new AtomicLong();
    /** Heap of the graphs compactions are building (their vectors are the old graph's, shared, not counted twice). */
    private final AtomicLong rebuilding = new AtomicLong();
    private final ExecutorService walThreads = Executors.newCachedThreadPool(Threads.named("vectord-wal"));
    private final ScheduledExecutorService snapshots = Executors.newSingleThreadScheduledExecutor(Threads.named("vectord-snapshot"));

    public IndexRegistry(IndexStore store, StorageClient storage, Durability durability) {
        this.store = store;
        this.storage = storage;
        this.wal = new WalStore(storage);
        this.d = durability;
        long tick = Math.max(50, Math.min(1000, durability.snapshotMaxAge().toMillis() / 4));
        snapshots.scheduleWithFixedDelay(this::snapshotDue, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Loads every index: its snapshot, then its WAL after the snapshot's sequence. A snapshot that fails leaves
     * a failed slot (the others still load); storaged unreachable throws (the caller retries the whole load).
     * WAL records of indexes that no longer exist are deleted.
     */
    public void loadAll() {
        Map<String, List<WalStore.Entry>> logs = new HashMap<>();
        for (WalStore.Entry e : wal.listAll()) {
            logs.computeIfAbsent(e.index(), k -> new ArrayList<>()).add(e);
        }
        List<String> names = store.names();
        for (String name : names) {
            if (slots.containsKey(name)) {
                continue; // loaded by an earlier, interrupted attempt
            }
            long t0 = System.nanoTime();
            IndexFile.Loaded loaded;
            try {
                loaded = store.load(name);
            } catch (IOException | RuntimeException e) {
                if (e instanceof BadGateway || e instanceof GatewayTimeout || e instanceof java.io.UncheckedIOException) {
                    throw e instanceof RuntimeException r ? r : new java.io.UncheckedIOException((IOException) e);
                }
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                slots.put(name, ManagedIndex.failed(name, why));
                log.error("index {} failed to load: {}", name, why);
                continue;
            }
            VectorIndex index = loaded.index();
            long inc = loaded.header().incarnationOrZero();
            long covered = loaded.header().walSeqOrZero();
            long t1 = System.nanoTime();
            Idempotency idem = newIdempotency();
            List<WalStore.Entry> walLog = logs.getOrDefault(name, List.of());
            for (WalStore.Entry e : walLog) {
                if (e.remembered() && e.incarnation() == inc && e.sequence() == covered) {
                    try {
                        idem.load(storage.getBytes(e.key()));
                    } catch (IOException | RuntimeException bad) {
                        if (bad instanceof BadGateway || bad instanceof GatewayTimeout) {
                            throw (RuntimeException) bad;
                        }
                        log.warn("index {}: remembered idempotency keys unreadable ({}); they are forgotten",
                                name, bad.getMessage());
                    }
                }
            }
            WalReplay.Result r = WalReplay.run(wal, walThreads, index, inc, covered, walLog, idem::remember);
            r.garbage().forEach(wal::delete);
            ManagedIndex m = ManagedIndex.live(index, inc, idem);
            m.snapshotSeq = covered;
            m.savedChanges = r.records() > 0 ? -1 : index.changes();
            m.lastSavedAt = loaded.header().savedAt();
            m.lastSaveBytes = loaded.bytes();
            m.replayedRecords = r.records();
            m.walProblem = r.problem();
            if (r.records() > 0) {
                m.walRecords.set(r.records());
                // the replayed records count toward snapshot_wal_bytes: else each restart would reset that bound
                // and a vectord killed often enough would never snapshot, its WAL (and recovery) growing without end
                m.walBytes.set(walLog.stream().filter(e -> !e.remembered() && e.incarnation() == inc
                        && e.sequence() > covered && e.sequence() <= r.lastSeq()).mapToLong(WalStore.Entry::size).sum());
                m.firstUnsnapshottedNanos = System.nanoTime();
            }
            attachWal(m, r.lastSeq());
            slots.put(name, m);
            if (r.problem() != null) {
                log.error("index {}: {}", name, r.problem());
            }
            log.info("loaded index {} ({} items, dim {}, {} bytes) in {} ms; replayed {} WAL records ({} ops) after seq {} in {} ms",
                    name, index.size(), index.spec().dim(), loaded.bytes(), (t1 - t0) / 1_000_000, r.records(), r.ops(),
                    covered, (System.nanoTime() - t1) / 1_000_000);
        }
        logs.keySet().stream().filter(n -> !names.contains(n))
                .forEach(n -> logs.get(n).forEach(e -> wal.delete(e.key())));
    }

    private Idempotency newIdempotency() {
        return new Idempotency(d.idempotencyWindow().toMillis(), d.idempotencyMaxKeys());
    }

    private void attachWal(ManagedIndex m, long lastSeq) {
        if (!d.wal()) {
            return;
        }
        m.wal = new GroupCommit(m.incarnation, lastSeq, record -> wal.put(m.name, record), walThreads,
                d.groupDelay().toNanos(), d.maxRecordBytes(), bytes -> {
                    m.walBytes.addAndGet(bytes);
                    m.walRecords.incrementAndGet();
                    if (m.firstUnsnapshottedNanos == 0) {
                        m.firstUnsnapshottedNanos = System.nanoTime();
                    }
                });
    }

    /** Creates the index and stores its first snapshot (seq 0 of a new incarnation) before answering. */
    public ManagedIndex create(IndexSpec spec) {
        long incarnation = ThreadLocalRandom.current().nextLong() | 1L; // never 0, the pre-WAL files' incarnation
        ManagedIndex m = ManagedIndex.live(VectorIndex.create(spec), incarnation, newIdempotency());
        attachWal(m, 0); // before the slot is visible: no add may ever reach it without the WAL
        ManagedIndex existing = slots.putIfAbsent(spec.name(), m);
        if (existing != null) {
            throw new Conflict("index '" + spec.name() + "' already exists"
                    + (existing.failure != null ? " (failed to load: " + existing.failure + ")" : ""),
                    Map.of("code", ErrorCodes.INDEX_EXISTS, "index", spec.name()));
        }
        try {
            snapshotNow(m, true);
        } catch (RuntimeException e) {
            slots.remove(spec.name(), m);
            throw e;
        }
        return m;
    }

    /** The slot, live or failed; 404 if absent. */
    public ManagedIndex slot(String name) {
        ManagedIndex m = slots.get(name);
        if (m == null) {
            throw new NotFound("no index '" + name + "'", Map.of("code", ErrorCodes.INDEX_NOT_FOUND, "index", name));
        }
        return m;
    }

    /** The live index, for reads (search, spec); 404 if absent, 409 if it failed to load. */
    public VectorIndex live(String name) {
        return liveSlot(name).index;
    }

    private ManagedIndex liveSlot(String name) {
        ManagedIndex m = slot(name);
        if (m.index == null) {
            throw new Conflict("index '" + name + "' failed to load: " + m.failure
                    + " (DELETE it, or restore its file and restart)", Map.of("code", ErrorCodes.INDEX_FAILED, "index", name, "failure", m.failure));
        }
        return m;
    }

    public List<ManagedIndex> all() {
        List<ManagedIndex> list = new ArrayList<>(slots.values());
        list.sort(Comparator.comparing(ManagedIndex::name));
        return list;
    }

    public Map<String, String> failures() {
        Map<String, String> f = new LinkedHashMap<>();
        all().stream().filter(m -> m.failure != null).forEach(m -> f.put(m.name, m.failure));
        return f;
    }

    /** Indexes whose last recovery stopped before the end of their WAL, and why. */
    public Map<String, String> walProblems() {
        Map<String, String> f = new LinkedHashMap<>();
        all().stream().filter(m -> m.walProblem != null).forEach(m -> f.put(m.name, m.walProblem));
        return f;
    }

    /** Heap kept beside the indexes that admission counts too (search's keyword and payload indexes). */
    private volatile java.util.function.LongSupplier alsoCounted = () -> 0;

    /** Counts {@code bytes} against the budget with the indexes (the composition root wires search's figure). */
    public void countAlso(java.util.function.LongSupplier bytes) {
        alsoCounted = bytes;
    }

    /** Estimated heap of every live index, plus what {@link #countAlso} names. */
    public long memoryUsed() {
        long sum = alsoCounted.getAsLong();
        for (ManagedIndex m : slots.values()) {
            VectorIndex idx = m.index;
            if (idx != null) {
                sum += idx.memoryBytes();
            }
        }
        return sum + rebuilding.get();
    }

    public long memoryBudget() {
        return d.memoryBudget();
    }

    /** An {@code Idempotency-Key} and the SHA-256 of the request it came with. */
    public record Keyed(String key, byte[] requestHash) {}

    /** What a write answered; {@code replayed}: the earlier outcome of the same keyed request, nothing written. */
    public record Result(int status, int added, boolean replayed) {}

    /**
     * Adds or replaces the (prepared: see {@link VectorIndex#prepare}) items as one batch: refused with 507 if
     * it would take the indexes past the memory budget; otherwise logged, applied, and only then returned.
     */
    public void add(String name, List<VectorItem> items) {
        add(name, items, null);
    }

    /** As {@link #add(String, List)}; with a key, a repeat of the same request answers the first outcome. */
    public Result add(String name, List<VectorItem> items, Keyed keyed) {
        ManagedIndex m = liveSlot(name);
        Optional<Idempotency.Outcome> prior = keyed == null ? Optional.empty() : m.idem.begin(keyed.key(), keyed.requestHash());
        if (prior.isPresent()) {
            return new Result(prior.get().status(), prior.get().added(), true);
        }
        try {
            long need = 0;
            for (VectorItem it : items) {
                need += m.index.bytesFor(it);
            }
            long used = memoryUsed() + admitted.addAndGet(need) - need;
            try {
                if (used + need > d.memoryBudget()) {
                    throw new ApiException(507, String.format("adding %d items (~%d bytes) would take the indexes' "
                                    + "estimated memory to %d bytes, over the budget of %d bytes (vectord.memory_budget); "
                                    + "nothing was added", items.size(), need, used + need, d.memoryBudget()),
                            Map.of("code", "memory_budget_exceeded", "budget_bytes", d.memoryBudget(), "used_bytes", used,
                                    "needed_bytes", need, "search_bytes", alsoCounted.getAsLong()), null);
                }
                List<WalOp> ops = new ArrayList<>(items.size() + 1);
                items.forEach(it -> ops.add(new WalOp.Put(it)));
                return keyedWrite(m, ops, keyed, 200, items.size());
            } finally {
                admitted.addAndGet(-need);
            }
        } finally {
            if (keyed != null) {
                m.idem.end(keyed.key());
            }
        }
    }

    /** Deletes the present ones of {@code ids} durably as one WAL record (a dataset-backed index's removed rows). */
    public void removeAll(String name, List<String> ids) {
        ManagedIndex m = liveSlot(name);
        List<WalOp> ops = new ArrayList<>();
        ids.stream().distinct().filter(m.index::contains).forEach(id -> ops.add(new WalOp.Delete(id)));
        if (!ops.isEmpty()) {
            write(m, ops);
        }
    }

    /** Deletes one item durably; false (nothing logged) if it is not there. */
    public boolean remove(String name, String id) {
        return remove(name, id, null).status() == 204;
    }

    /** 204 once the delete is durable, 404 (nothing logged) if absent; with a key, a repeat answers the first outcome. */
    public Result remove(String name, String id, Keyed keyed) {
        ManagedIndex m = liveSlot(name);
        Optional<Idempotency.Outcome> prior = keyed == null ? Optional.empty() : m.idem.begin(keyed.key(), keyed.requestHash());
        if (prior.isPresent()) {
            return new Result(prior.get().status(), 0, true);
        }
        try {
            if (!m.index.contains(id)) {
                return new Result(404, 0, false);
            }
            List<WalOp> ops = new ArrayList<>(2);
            ops.add(new WalOp.Delete(id));
            return keyedWrite(m, ops, keyed, 204, 0);
        } finally {
            if (keyed != null) {
                m.idem.end(keyed.key());
            }
        }
    }

    /** The key rides in the batch's own WAL record, so it is remembered exactly when the batch is durable. */
    private Result keyedWrite(ManagedIndex m, List<WalOp> ops, Keyed keyed, int status, int added) {
        WalOp.Remember r = keyed == null ? null
                : new WalOp.Remember(keyed.key(), keyed.requestHash(), status, added, System.currentTimeMillis());
        if (r != null) {
            ops.add(r);
        }
        write(m, ops);
        if (r != null) {
            m.idem.remember(r);
        }
        return new Result(status, added, false);
    }

    public Optional<VectorItem> item(String name, String id) {
        return liveSlot(name).index.get(id);
    }

    private void write(ManagedIndex m, List<WalOp> ops) {
        if (m.wal == null) {
            m.index.apply(ops);
            if (m.firstUnsnapshottedNanos == 0) {
                m.firstUnsnapshottedNanos = System.nanoTime(); // WAL off: snapshot_max_age alone decides
            }
        } else {
            GroupCommit.Ticket t;
            try {
                t = m.wal.submit(ops);
                try {
                    t.awaitDurable();
                    m.index.apply(ops);
                } finally {
                    t.applied();
                }
            } catch (GroupCommit.Closed closed) {
                throw new NotFound("no index '" + m.name + "' (deleted)");
            }
        }
        maybeCompact(m);
    }

    /** Takes a snapshot now (if anything changed since the last); returns the slot. Throws 502/503 if storage fails. */
    public ManagedIndex snapshot(String name) {
        ManagedIndex m = liveSlot(name);
        snapshotNow(m, false);
        return m;
    }

    private void snapshotDue() {
        long now = System.nanoTime();
        for (ManagedIndex m : all()) {
            if (m.closed || m.index == null || !m.dirty() || m.compacting) {
                continue;
            }
            if (m.lastFailureNanos != 0 && now - m.lastFailureNanos < d.retry().toNanos()) {
                continue;
            }
            long first = m.firstUnsnapshottedNanos;
            boolean big = m.walBytes.get() >= d.snapshotWalBytes();
            boolean old = first != 0 && now - first >= d.snapshotMaxAge().toNanos();
            if (big || old) {
                try {
                    snapshotNow(m, false);
                } catch (RuntimeException e) {
                    m.lastFailureNanos = System.nanoTime();
                    log.warn("snapshot of index {} failed (retry in {} s): {}", m.name, d.retry().toSeconds(), e.getMessage());
                }
            }
        }
    }

    private void snapshotNow(ManagedIndex m, boolean force) {
        m.saveLock.lock();
        try {
            if (m.closed || m.index == null || (!force && m.lastSavedAt != null && !m.dirty())) {
                return;
            }
            long bytesBefore = m.walBytes.get();
            long recordsBefore = m.walRecords.get();
            IndexStore.Saved s;
            try {
                s = store.save(m.index, m.incarnation, m::walSeq, covered -> {
                    if (m.idem.size() > 0) { // before the snapshot: its keys must be there when it is
                        storage.put(WalStore.rememberedKey(m.name, m.incarnation, covered), m.idem.encode(m.incarnation, covered));
                    }
                });
            } catch (IOException e) {
                m.lastSaveError = e.toString();
                throw new ApiException(500, "cannot write index file: " + e.getMessage());
            } catch (RuntimeException e) {
                m.lastSaveError = e.getMessage();
                throw e;
            }
            long covered = s.walSeq();
            m.snapshotSeq = covered;
            m.savedChanges = s.snapshot().changes();
            m.walBytes.addAndGet(-bytesBefore);
            m.walRecords.addAndGet(-recordsBefore);
            m.firstUnsnapshottedNanos = m.dirty() ? System.nanoTime() : 0;
            m.lastSavedAt = Instant.now();
            m.lastSaveBytes = s.bytes();
            m.lastSaveMs = s.writeMs() + s.putMs();
            m.lastPauseMs = s.writeMs();
            m.lastSaveError = null;
            m.lastFailureNanos = 0;
            int dropped = dropCovered(m, covered);
            log.info("snapshot of index {}: {} items, {} bytes, covers WAL seq {} (adds paused {} ms, put {} ms; {} WAL records deleted)",
                    m.name, s.snapshot().count(), s.bytes(), covered, s.writeMs(), s.putMs(), dropped);
        } finally {
            m.saveLock.unlock();
        }
    }

    /** Deletes the WAL records a stored snapshot covers (a failure leaves them for the next load to drop). */
    private int dropCovered(ManagedIndex m, long covered) {
        if (m.wal == null && covered == 0) {
            return 0;
        }
        int n = 0;
        try {
            for (WalStore.Entry e : wal.list(m.name)) {
                if (e.incarnation() != m.incarnation || (e.remembered() ? e.sequence() < covered : e.sequence() <= covered)) {
                    wal.delete(e.key());
                    n++;
                }
            }
        } catch (RuntimeException e) {
            log.warn("deleting covered WAL records of index {} failed (dropped at next load): {}", m.name, e.getMessage());
        }
        return n;
    }

    private void maybeCompact(ManagedIndex m) {
        VectorIndex idx = m.index;
        int nodes = idx.nodes();
        if (!m.compacting && nodes >= d.compactMinNodes() && idx.tombstones() > d.compactShare() * nodes) {
            m.compacting = true;
            snapshots.execute(() -> {
                try {
                    compactNow(m);
                } catch (RuntimeException e) {
                    log.warn("compaction of index {} failed: {}", m.name, e.getMessage());
                }
            });
        }
    }

    /** Rebuilds the index without tombstones, then snapshots it. Blocks until done; the index serves throughout. */
    public ManagedIndex compact(String name) {
        ManagedIndex m = liveSlot(name);
        m.compacting = true;
        compactNow(m);
        return m;
    }

    /**
     * Copies the live items under a short freeze (and starts journaling every op applied after it), rebuilds a
     * graph from them with adds and searches still served by the old one, then under a second short freeze
     * applies the journal to the new graph and swaps it in; the old graph forwards any late apply to it.
     */
    private void compactNow(ManagedIndex m) {
        m.saveLock.lock();
        try {
            if (m.closed || m.index == null) {
                return;
            }
            long t0 = System.nanoTime();
            VectorIndex old = m.index;
            // the second graph counts against the budget until the swap frees the first: adds meanwhile are
            // refused (507) rather than let both graphs outgrow the heap
            long second = old.graphBytes(old.size());
            rebuilding.addAndGet(second);
            try {
                compactInto(m, old, t0);
            } finally {
                rebuilding.addAndGet(-second);
            }
            snapshotNow(m, true);
        } finally {
            m.compacting = false;
            m.saveLock.unlock();
        }
    }

    /**
     * Erasure (ADR 0024): removes {@code ids} from the live graph itself, not as tombstones — a logged delete, then a
     * rebuild from the live items and a snapshot, after which the WAL records that still held them (every record the
     * snapshot covers) are deleted and the single snapshot object has been overwritten. Idempotent: run again (a
     * resumed erasure) it removes nothing more but still rebuilds and snapshots, so a WAL record replayed after a
     * crash cannot keep an item's old put. Returns the ids that were there; {@code dryRun} only answers that.
     */
    public List<String> erase(String name, List<String> ids, boolean dryRun) {
        ManagedIndex m = liveSlot(name);
        List<String> present = ids.stream().distinct().filter(m.index::contains).toList();
        if (dryRun) {
            return present;
        }
        if (!present.isEmpty()) {
            List<WalOp> ops = new ArrayList<>(present.size());
            present.forEach(id -> ops.add(new WalOp.Delete(id)));
            write(m, ops);
        }
        compact(name);
        return present;
    }

    /**
     * Erasure by a metadata filter (the search filter language, ADR 0025): the items it matches now, erased as by
     * {@link #erase(String, List, boolean)}. More than {@code max} matches is refused (the answer lists every id),
     * so a too-broad filter erases nothing.
     */
    public List<String> erase(String name, Filter filter, int max, boolean dryRun) {
        java.util.function.Predicate<VectorItem> accept = FilteredSearch.predicate(filter);
        List<String> ids = liveSlot(name).index.items().stream().filter(accept).map(VectorItem::id).toList();
        if (ids.size() > max) {
            throw new BadRequest("the filter matches " + ids.size() + " items; an erasure removes at most " + max
                    + " per index: narrow the filter", Map.of("code", ErrorCodes.BAD_FILTER, "matches", ids.size(), "max", max));
        }
        return erase(name, ids, dryRun);
    }

    /** The rebuild and swap of {@link #compactNow} (under its saveLock). */
    private void compactInto(ManagedIndex m, VectorIndex old, long t0) {
        List<VectorItem> items;
        int tombstones = old.tombstones();
        try (VectorIndex.Frozen f = old.freeze()) {
            items = new ArrayList<>(old.items());
            f.startJournal();
        }
        VectorIndex fresh = VectorIndex.create(old.spec(), Math.max(16, items.size()));
        List<WalOp> puts = new ArrayList<>(items.size());
        items.forEach(it -> puts.add(new WalOp.Put(it)));
        fresh.apply(puts);
        long t1 = System.nanoTime();
        int journaled;
        try (VectorIndex.Frozen f = old.freeze()) {
            List<WalOp> journal = f.takeJournal();
            journaled = journal.size();
            if (!journal.isEmpty()) {
                fresh.apply(journal);
            }
            f.retireTo(fresh);
            m.index = fresh;
        }
        m.lastCompaction = String.format("%s: %d tombstones dropped, %d live items rebuilt in %d ms, %d ops replayed "
                + "from the journal", Instant.now(), tombstones, items.size(), (t1 - t0) / 1_000_000, journaled);
        log.info("compacted index {}: {}", m.name, m.lastCompaction);
    }

    /** Deletes the snapshot, then the WAL, then the slot. A snapshot in flight finishes first; none runs after. */
    public void delete(String name) {
        ManagedIndex m = slot(name);
        m.saveLock.lock();
        try {
            m.closed = true;
            try {
                store.delete(name);
            } catch (RuntimeException e) {
                m.closed = false;
                throw e;
            }
            if (m.wal != null) {
                m.wal.close("index '" + name + "' was deleted");
            }
            slots.remove(name, m);
            try {
                wal.list(name).forEach(e -> wal.delete(e.key()));
            } catch (RuntimeException e) {
                log.warn("deleting the WAL of index {} failed (dropped at next load): {}", name, e.getMessage());
            }
        } finally {
            m.saveLock.unlock();
        }
    }

    /** Snapshots every index with changes not yet in one (shutdown: makes the next start replay less). */
    public void flush() {
        for (ManagedIndex m : all()) {
            if (m.dirty()) {
                try {
                    snapshotNow(m, false);
                } catch (RuntimeException e) {
                    log.error("final snapshot of index {} failed: {}", m.name, e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        snapshots.shutdownNow();
        flush();
        walThreads.shutdown();
    }
}
