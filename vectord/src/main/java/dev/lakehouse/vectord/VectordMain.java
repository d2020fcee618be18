package dev.lakehouse.vectord;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.vectord.api.TextEmbedder;
import dev.lakehouse.vectord.api.VectorRoutes;
import dev.lakehouse.vectord.engine.Kernels;
import dev.lakehouse.vectord.source.Sources;
import dev.lakehouse.vectord.source.SqlClient;
import dev.lakehouse.vectord.store.IndexRegistry;
import dev.lakehouse.vectord.store.Durability;
import dev.lakehouse.vectord.store.IndexStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires config → the vectord server: indexes persisted through storaged as a WAL plus LHV1 snapshots, text
 * embedded by embedd. At start every index is recovered (snapshot + WAL; in the background, retried until
 * storaged answers; /health says {@code loading} and is 503 until then); on shutdown every index with
 * changes not yet in a snapshot gets one.
 *
 * <p>Keys: {@link VectordKeys} (docs/vectord.md); {@code storaged.url}, {@code embedd.url}, {@code catalogd.url},
 * {@code queryd.url}.
 */
public final class VectordMain {
    private static final Logger log = LoggerFactory.getLogger(VectordMain.class);

    private VectordMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        FleetCredential credential = FleetCredential.load(config);
        StorageClient storage = new StorageClient(config.url(Service.STORAGED), credential);
        IndexStore store = new IndexStore(storage, java.nio.file.Path.of(config.get(VectordKeys.TMP_DIR,
                config.dataDir().resolve("vectord-tmp").toString())));
        Durability dflt = Durability.defaults();
        Durability durability = new Durability(
                config.get(VectordKeys.WAL),
                config.get(VectordKeys.WAL_GROUP_DELAY),
                config.get(VectordKeys.WAL_MAX_RECORD_BYTES),
                config.get(VectordKeys.SNAPSHOT_WAL_BYTES),
                config.get(VectordKeys.SNAPSHOT_MAX_AGE),
                config.get(VectordKeys.SAVE_RETRY),
                config.get(VectordKeys.MEMORY_BUDGET, dflt.memoryBudget()),
                config.get(VectordKeys.COMPACT_TOMBSTONE_SHARE),
                config.get(VectordKeys.COMPACT_MIN_NODES),
                config.get(VectordKeys.IDEMPOTENCY_WINDOW),
                config.get(VectordKeys.IDEMPOTENCY_MAX_KEYS));
        IndexRegistry registry = new IndexRegistry(store, storage, durability);
        AtomicBoolean ready = new AtomicBoolean();
        AtomicReference<String> loadError = new AtomicReference<>();
        TextEmbedder embedder = new TextEmbedder(config.url(Service.EMBEDD), credential);
        // dataset-backed indexes: rows read through queryd, versions polled from catalogd
        Sources sources = new Sources(new CatalogClient(config.url(Service.CATALOGD), credential), storage,
                new SqlClient(config.url(Service.QUERYD), credential), registry, embedder,
                config.get(VectordKeys.SOURCE_PAGE_ROWS), config.get(VectordKeys.SOURCE_BATCH_ROWS));
        java.time.Duration pollInterval = config.get(VectordKeys.SOURCE_POLL_INTERVAL);
        // keyword and payload indexes and the synced rows' hashes live beside the graphs: admission counts them
        dev.lakehouse.vectord.retrieval.Retriever retriever = new dev.lakehouse.vectord.retrieval.Retriever();
        registry.countAlso(() -> retriever.memoryBytes() + sources.memoryBytes());
        VectorRoutes routes = new VectorRoutes(registry, embedder, ready::get, sources, retriever);

        // bounds the per-index series: the first N indexes by name get their own, the rest are summed as "_other"
        int metricsMaxIndexes = config.get(VectordKeys.METRICS_MAX_INDEXES);
        AtomicReference<IndexMeters> perIndex = new AtomicReference<>();

        ServiceApp app = ServiceApp.builder(Service.VECTORD, config)
                .routes(routes::register)
                .routes(new dev.lakehouse.vectord.api.EraseRoute(registry, ready::get)::register)
                .routes(r -> perIndex.get().timeSearches(r))
                // fleet-wide index state; per index: IndexMeters (vectord_index_*)
                .metrics(m -> {
                    io.micrometer.core.instrument.Gauge.builder("vectord_indexes", registry, r -> r.all().size())
                            .description("indexes, live or failed").register(m);
                    io.micrometer.core.instrument.Gauge.builder("vectord_items_live", registry,
                            r -> r.all().stream().filter(x -> x.index() != null).mapToLong(x -> x.index().size()).sum())
                            .description("items searchable in all indexes").register(m);
                    io.micrometer.core.instrument.Gauge.builder("vectord_items_tombstoned", registry,
                            r -> r.all().stream().filter(x -> x.index() != null).mapToLong(x -> x.index().tombstones()).sum())
                            .description("deleted or replaced items not yet compacted away").register(m);
                    io.micrometer.core.instrument.Gauge.builder("vectord_memory_used_bytes", registry, IndexRegistry::memoryUsed)
                            .description("estimated heap of every live index").register(m);
                    io.micrometer.core.instrument.Gauge.builder("vectord_memory_budget_bytes", registry, IndexRegistry::memoryBudget)
                            .description("vectord.memory_budget").register(m);
                    perIndex.set(new IndexMeters(registry, m, metricsMaxIndexes));
                })
                .beforeScrape(() -> perIndex.get().refresh())
                .health(() -> {
                    Map<String, Object> h = new LinkedHashMap<>();
                    if (!ready.get()) {
                        h.put("status", "loading");
                        if (loadError.get() != null) {
                            h.put("load_error", loadError.get());
                        }
                    }
                    h.put("indexes", registry.all().size());
                    h.put("failed_indexes", registry.failures());
                    h.put("wal_problems", registry.walProblems());
                    long live = 0;
                    long tombstoned = 0;
                    for (var m : registry.all()) {
                        if (m.index() != null) {
                            live += m.index().size();
                            tombstoned += m.index().tombstones();
                        }
                    }
                    h.put("items", Map.of("live", live, "tombstoned", tombstoned));
                    h.put("memory", Map.of("used_bytes", registry.memoryUsed(), "budget_bytes", registry.memoryBudget()));
                    h.put("kernels", Kernels.MODE);
                    return h;
                })
                .onStop(() -> {
                    sources.close();
                    registry.close();
                })
                .start();

        java.util.concurrent.ExecutorService loader = java.util.concurrent.Executors.newSingleThreadExecutor(
                dev.lakehouse.vectord.store.Threads.named("vectord-loader"));
        loader.execute(() -> {
            long backoff = 200;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    long t0 = System.nanoTime();
                    registry.loadAll();
                    sources.loadAll(name -> registry.all().stream().anyMatch(x -> x.name().equals(name)));
                    ready.set(true);
                    sources.startPolling(pollInterval);
                    log.info("vectord ready: {} indexes ({} failed) loaded in {} ms, kernels {}", registry.all().size(),
                            registry.failures().size(), (System.nanoTime() - t0) / 1_000_000, Kernels.MODE);
                    return;
                } catch (RuntimeException e) {
                    loadError.set(e.getMessage());
                    log.warn("cannot load indexes yet ({}); retrying in {} ms", e.getMessage(), backoff);
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, 2000);
                }
            }
        });
        loader.shutdown();
        return app;
    }
}
