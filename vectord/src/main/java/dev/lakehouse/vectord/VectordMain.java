package dev.lakehouse.vectord;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.vectord.api.TextEmbedder;
import dev.lakehouse.vectord.api.VectorRoutes;
import dev.lakehouse.vectord.engine.Kernels;
import dev.lakehouse.vectord.store.IndexRegistry;
import dev.lakehouse.vectord.store.IndexStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires config → the vectord server: indexes persisted through storaged as LHV1 files, text embedded by
 * embedd. At start every index file is loaded (in the background, retried until storaged answers; /health
 * says {@code loading} and is 503 until then); on shutdown every dirty index is saved.
 *
 * <p>Keys: {@code vectord.save_debounce} (2s quiet), {@code vectord.save_max_delay} (30s),
 * {@code vectord.save_retry} (5s), {@code vectord.tmp_dir}
 * ({@code <data_dir>/vectord-tmp}), {@code storaged.url}, {@code embedd.url}.
 */
public final class VectordMain {
    private static final Logger log = LoggerFactory.getLogger(VectordMain.class);

    private VectordMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        FleetCredential credential = FleetCredential.load(config);
        IndexStore store = new IndexStore(new StorageClient(config.url(Service.STORAGED), credential),
                config.get("vectord.tmp_dir").map(java.nio.file.Path::of)
                        .orElse(config.dataDir().resolve("vectord-tmp")));
        IndexRegistry registry = new IndexRegistry(store,
                config.duration("vectord.save_debounce", Duration.ofSeconds(2)),
                config.duration("vectord.save_max_delay", Duration.ofSeconds(30)),
                config.duration("vectord.save_retry", Duration.ofSeconds(5)));
        AtomicBoolean ready = new AtomicBoolean();
        AtomicReference<String> loadError = new AtomicReference<>();
        VectorRoutes routes = new VectorRoutes(registry, new TextEmbedder(config.url(Service.EMBEDD), credential), ready::get);

        ServiceApp app = ServiceApp.builder(Service.VECTORD, config)
                .routes(routes::register)
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
                    h.put("kernels", Kernels.MODE);
                    return h;
                })
                .onStop(registry::close)
                .start();

        Thread loader = new Thread(() -> {
            long backoff = 200;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    long t0 = System.nanoTime();
                    registry.loadAll();
                    ready.set(true);
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
        }, "vectord-loader");
        loader.setDaemon(true);
        loader.start();
        return app;
    }
}
