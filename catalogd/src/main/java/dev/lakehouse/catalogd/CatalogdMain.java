package dev.lakehouse.catalogd;

import dev.lakehouse.catalogd.erasure.Eraser;
import dev.lakehouse.catalogd.erasure.ErasureRoutes;
import dev.lakehouse.catalogd.verify.ManifestVerifier;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.idempotency.StorageRecords;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires config → catalogd: a {@link Catalog} whose state lives in storaged ({@code storaged.url}), served over
 * HTTP. The state is loaded in the background, retrying until storaged answers; until then /health is 503
 * and every catalog call answers 503 with Retry-After.
 */
public final class CatalogdMain {
    private static final Logger log = LoggerFactory.getLogger(CatalogdMain.class);

    private CatalogdMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        StorageClient storage = new StorageClient(config.url(Service.STORAGED), FleetCredential.load(config));
        Catalog catalog = new Catalog(new ManifestStore(storage), Clock.systemUTC(),
                config.longValue("catalogd.older_versions_max_files", 100_000),
                new ManifestVerifier(storage, config.longValue("catalogd.max_footer_bytes", 16L << 20)));
        Duration retry = config.duration("catalogd.rehydrate_retry", Duration.ofSeconds(1));
        IdempotencyStore idempotency = new IdempotencyStore(new StorageRecords(storage), Service.CATALOGD.id(),
                config.duration("idempotency.window", Duration.ofHours(24)), Clock.systemUTC());
        idempotency.startSweeping();
        FleetCredential credential = FleetCredential.load(config);
        // erasures (ADR 0024): catalogd owns the manifests, so it coordinates; the predicates run in queryd
        Eraser eraser = Eraser.create(catalog, storage, config.url(Service.QUERYD), config.url(Service.VECTORD), credential,
                config.duration("catalogd.erasure_retry", Duration.ofSeconds(2)),
                config.duration("catalogd.erasure_step_timeout", Duration.ofMinutes(10)));
        AtomicBoolean stopped = new AtomicBoolean();
        Thread loader = new Thread(() -> {
            untilDone(catalog::rehydrate, "load catalog", retry, stopped);
            // erasures cut short by a crash resume once the catalog is loaded
            untilDone(eraser::resumeAll, "list erasures", retry, stopped);
        }, "catalogd-rehydrate");
        loader.setDaemon(true);
        ServiceApp app = ServiceApp.builder(Service.CATALOGD, config)
                .routes(new CatalogRoutes(catalog, new IdempotentRegistrations(catalog, idempotency))::register)
                .routes(new ErasureRoutes(eraser)::register)
                .health(() -> {
                    java.util.Map<String, Object> h = new java.util.LinkedHashMap<>(catalog.health());
                    h.put("erasures", eraser.health());
                    return h;
                })
                .metrics(catalog::bindMetrics)
                .onStop(() -> {
                    idempotency.close();
                    eraser.close();
                    stopped.set(true);
                    loader.interrupt();
                })
                .start();
        loader.start();
        return app;
    }

    /**
     * Runs {@code step} until it succeeds (storaged not answering yet), or the service stops. A flag, not only the
     * interrupt: an HTTP call in flight may swallow the interrupt.
     */
    private static void untilDone(Runnable step, String what, Duration retry, AtomicBoolean stopped) {
        while (!stopped.get()) {
            try {
                step.run();
                return;
            } catch (RuntimeException e) {
                log.warn("cannot {} from storaged yet ({}); retrying in {} ms", what, e.getMessage(), retry.toMillis());
                try {
                    Thread.sleep(retry.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
