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
            rehydrate(catalog, retry, stopped);
            resume(eraser, retry, stopped);
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

    /** Erasures cut short by a crash are picked up again once storaged lists them. */
    private static void resume(Eraser eraser, Duration retry, AtomicBoolean stopped) {
        while (!stopped.get()) {
            try {
                eraser.resumeAll();
                return;
            } catch (RuntimeException e) {
                log.warn("cannot list erasures from storaged yet ({}); retrying in {} ms", e.getMessage(), retry.toMillis());
                try {
                    Thread.sleep(retry.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static void rehydrate(Catalog catalog, Duration retry, AtomicBoolean stopped) {
        // a flag, not only the interrupt: an HTTP call in flight may swallow the interrupt
        while (!stopped.get()) {
            try {
                catalog.rehydrate();
                return;
            } catch (RuntimeException e) {
                log.warn("cannot load catalog from storaged yet ({}); retrying in {} ms", e.getMessage(), retry.toMillis());
                try {
                    Thread.sleep(retry.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
