package dev.lakehouse.vectord.store;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.Conflict;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorIndex;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every index of this vectord and its persistence: create saves at once (an acknowledged create survives
 * kill -9), adds and removes mark the index dirty and a debounced save follows, {@link #save} forces one,
 * {@link #flush} saves everything dirty on shutdown, and {@link #loadAll} brings every file back at start.
 */
public final class IndexRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IndexRegistry.class);

    private final IndexStore store;
    private final Duration debounce;
    private final Duration maxDelay;
    private final Duration retry;
    private final Map<String, ManagedIndex> slots = new ConcurrentHashMap<>();
    private final ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vectord-saver");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param debounce a save runs once the index has been quiet this long...
     * @param maxDelay ...or once its oldest unsaved change is this old, so a steady stream of adds still
     *                 gets saved (each save rewrites the whole file, so not after every batch)
     */
    public IndexRegistry(IndexStore store, Duration debounce, Duration maxDelay, Duration retry) {
        this.store = store;
        this.debounce = debounce;
        this.maxDelay = maxDelay;
        this.retry = retry;
    }

    /** Loads every index file in storage. A file that fails leaves a failed slot; the others still load. */
    public void loadAll() {
        for (String name : store.names()) {
            long t0 = System.nanoTime();
            try {
                IndexFile.Loaded loaded = store.load(name);
                VectorIndex index = loaded.index();
                ManagedIndex m = ManagedIndex.live(index);
                m.savedChanges = index.changes();
                m.lastSavedAt = loaded.header().savedAt();
                m.lastSaveBytes = loaded.bytes();
                slots.put(name, m);
                log.info("loaded index {} ({} items, dim {}, {} bytes) in {} ms", name, index.size(), index.spec().dim(),
                        loaded.bytes(), (System.nanoTime() - t0) / 1_000_000);
            } catch (IOException | RuntimeException e) {
                if (e instanceof BadGateway || e instanceof dev.lakehouse.common.error.GatewayTimeout) {
                    throw (ApiException) e; // storaged unreachable: the whole load is retried
                }
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                slots.put(name, ManagedIndex.failed(name, why));
                log.error("index {} failed to load: {}", name, why);
            }
        }
    }

    public ManagedIndex create(IndexSpec spec) {
        ManagedIndex m = ManagedIndex.live(VectorIndex.create(spec));
        ManagedIndex existing = slots.putIfAbsent(spec.name(), m);
        if (existing != null) {
            throw new Conflict("index '" + spec.name() + "' already exists"
                    + (existing.failure != null ? " (failed to load: " + existing.failure + ")" : ""),
                    Map.of("code", ErrorCodes.INDEX_EXISTS, "index", spec.name()));
        }
        try {
            saveNow(m);
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

    /** The live index; 404 if absent, 409 if it failed to load. */
    public VectorIndex live(String name) {
        ManagedIndex m = slot(name);
        if (m.index == null) {
            throw new Conflict("index '" + name + "' failed to load: " + m.failure
                    + " (DELETE it, or restore its file and restart)", Map.of("code", ErrorCodes.INDEX_FAILED, "index", name, "failure", m.failure));
        }
        return m.index;
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

    /** Call after a mutation: schedules a debounced save unless one is already pending. */
    public void changed(String name) {
        ManagedIndex m = slots.get(name);
        if (m != null) {
            long now = System.nanoTime();
            m.lastChangeNanos = now;
            if (m.firstUnsavedNanos == 0) {
                m.firstUnsavedNanos = now;
            }
            schedule(m, debounce);
        }
    }

    private void schedule(ManagedIndex m, Duration delay) {
        synchronized (m) {
            if (m.closed || (m.pending != null && !m.pending.isDone())) {
                return;
            }
            m.pending = saver.schedule(() -> backgroundSave(m), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void backgroundSave(ManagedIndex m) {
        synchronized (m) {
            m.pending = null;
        }
        long now = System.nanoTime();
        long quiet = now - m.lastChangeNanos;
        long age = m.firstUnsavedNanos == 0 ? 0 : now - m.firstUnsavedNanos;
        if (quiet < debounce.toNanos() && age < maxDelay.toNanos()) {
            long wait = Math.min(debounce.toNanos() - quiet, maxDelay.toNanos() - age);
            schedule(m, Duration.ofNanos(Math.max(wait, 1_000_000)));
            return;
        }
        m.firstUnsavedNanos = 0;
        try {
            saveNow(m);
        } catch (RuntimeException e) {
            log.warn("saving index {} failed (retry in {} s): {}", m.name, retry.toSeconds(), e.getMessage());
            if (m.firstUnsavedNanos == 0) {
                m.firstUnsavedNanos = now;
            }
            schedule(m, retry);
            return;
        }
        if (m.dirty()) {
            schedule(m, debounce);
        }
    }

    /** Saves the index if it changed since its last save; returns the slot. Throws 502/503 if storage fails. */
    public ManagedIndex save(String name) {
        ManagedIndex m = slot(name);
        live(name);
        saveNow(m);
        return m;
    }

    private void saveNow(ManagedIndex m) {
        m.saveLock.lock();
        try {
            if (m.closed || m.index == null || (m.lastSavedAt != null && !m.dirty())) {
                return;
            }
            IndexStore.Saved s;
            try {
                s = store.save(m.index);
            } catch (IOException e) {
                m.lastSaveError = e.toString();
                throw new dev.lakehouse.common.error.ApiException(500, "cannot write index file: " + e.getMessage());
            } catch (RuntimeException e) {
                m.lastSaveError = e.getMessage();
                throw e;
            }
            m.savedChanges = s.snapshot().changes();
            m.lastSavedAt = Instant.now();
            m.lastSaveBytes = s.bytes();
            m.lastSaveMs = s.writeMs() + s.putMs();
            m.lastSaveError = null;
            log.info("saved index {}: {} items, {} bytes (write {} ms, put {} ms)", m.name, s.snapshot().count(),
                    s.bytes(), s.writeMs(), s.putMs());
        } finally {
            m.saveLock.unlock();
        }
    }

    /** Deletes the file, then the slot. A save in flight finishes first; none runs after. */
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
            slots.remove(name, m);
        } finally {
            m.saveLock.unlock();
        }
    }

    /** Saves every dirty index (shutdown). */
    public void flush() {
        for (ManagedIndex m : all()) {
            if (m.dirty()) {
                try {
                    saveNow(m);
                } catch (RuntimeException e) {
                    log.error("final save of index {} failed: {}", m.name, e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        saver.shutdownNow();
        flush();
    }
}
