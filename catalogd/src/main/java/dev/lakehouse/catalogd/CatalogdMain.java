package dev.lakehouse.catalogd;

import dev.lakehouse.catalogd.erasure.Eraser;
import dev.lakehouse.catalogd.erasure.ErasureRoutes;
import dev.lakehouse.catalogd.iceberg.IcebergMetadata;
import dev.lakehouse.catalogd.iceberg.IcebergRoutes;
import dev.lakehouse.catalogd.iceberg.IcebergSettings;
import dev.lakehouse.catalogd.iceberg.MetadataUpdates;
import dev.lakehouse.catalogd.iceberg.StoragedFileIO;
import dev.lakehouse.catalogd.verify.ManifestVerifier;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.FleetKeys;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.model.DatasetSummary;
import dev.lakehouse.common.model.Manifest;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.idempotency.StorageRecords;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        FleetCredential credential = FleetCredential.load(config);
        StorageClient storage = new StorageClient(config.url(Service.STORAGED), credential);
        Catalog catalog = new Catalog(new ManifestStore(storage), Clock.systemUTC(),
                config.get(CatalogdKeys.OLDER_VERSIONS_MAX_FILES),
                new ManifestVerifier(storage, config.get(CatalogdKeys.MAX_FOOTER_BYTES)));
        Duration retry = config.get(CatalogdKeys.REHYDRATE_RETRY);
        IdempotencyStore idempotency = new IdempotencyStore(new StorageRecords(storage), Service.CATALOGD.id(),
                config.get(FleetKeys.IDEMPOTENCY_WINDOW), Clock.systemUTC());
        idempotency.startSweeping();
        // Iceberg tables generated from the manifests, following every registration and delete (ADR 0023)
        S3Settings s3 = primaryS3(config);
        IcebergMetadata.Versions versions = versionsOf(catalog);
        IcebergMetadata iceberg = new IcebergMetadata(storage, new StoragedFileIO(storage, s3.bucket()), versions);
        MetadataUpdates updates = new MetadataUpdates(iceberg, config.get(CatalogdKeys.ICEBERG_QUEUE));
        catalog.listen(new Catalog.Listener() {
            @Override
            public void registered(String dataset) {
                updates.registered(dataset);
            }

            @Override
            public void deleted(String dataset) {
                updates.deleted(dataset); // before the DELETE answers: it removes the dataset's metadata too
            }

            @Override
            public void erased(String dataset) {
                updates.erased(dataset); // before the erasure deletes the old files its metadata still names
            }
        });
        // erasures (ADR 0024): catalogd owns the manifests, so it coordinates; the predicates run in queryd
        Eraser eraser = Eraser.create(catalog, storage, config.url(Service.QUERYD), config.url(Service.VECTORD), credential,
                config.get(CatalogdKeys.ERASURE_RETRY),
                config.get(CatalogdKeys.ERASURE_STEP_TIMEOUT));
        IcebergRoutes icebergRoutes = new IcebergRoutes(iceberg, versions, IcebergSettings.from(config, s3));
        CatalogRoutes routes = new CatalogRoutes(catalog, new IdempotentRegistrations(catalog, idempotency));
        AtomicBoolean stopped = new AtomicBoolean();
        Thread loader = new Thread(() -> {
            if (untilDone(catalog::rehydrate, "load catalog", retry, stopped)) {
                updates.migrate();
                // erasures cut short by a crash resume once the catalog is loaded
                untilDone(eraser::resumeAll, "list erasures", retry, stopped);
            }
        }, "catalogd-rehydrate");
        loader.setDaemon(true);
        ServiceApp app = ServiceApp.builder(Service.CATALOGD, config)
                .routes(r -> {
                    routes.register(r);
                    icebergRoutes.register(r);
                })
                .routes(new ErasureRoutes(eraser)::register)
                .health(() -> {
                    Map<String, Object> h = new LinkedHashMap<>(catalog.health());
                    h.put("iceberg", iceberg.stats());
                    h.put("erasures", eraser.health());
                    return h;
                })
                .metrics(catalog::bindMetrics)
                .onStop(() -> {
                    updates.close();
                    idempotency.close();
                    eraser.close();
                    stopped.set(true);
                    loader.interrupt();
                })
                .start();
        loader.start();
        return app;
    }

    /** The bucket's settings; a fleet without them (a test's credential-only secrets file) gets a placeholder bucket. */
    private static S3Settings primaryS3(Config config) {
        try {
            return Secrets.primaryS3(config);
        } catch (IllegalStateException e) {
            log.warn("no [s3.primary] in the secrets file ({}): Iceberg metadata names bucket 'lakehouse'", e.getMessage());
            return new S3Settings("http://127.0.0.1:9000", "us-east-1", "lakehouse", "", "");
        }
    }

    /** The catalog as the Iceberg tables' source: its datasets, latest and older versions. */
    private static IcebergMetadata.Versions versionsOf(Catalog catalog) {
        return new IcebergMetadata.Versions() {
            @Override
            public List<String> datasets() {
                return catalog.list().stream().map(DatasetSummary::name).toList();
            }

            @Override
            public Manifest latest(String dataset) {
                return catalog.latest(dataset);
            }

            @Override
            public Manifest version(String dataset, int version) {
                return catalog.version(dataset, version);
            }
        };
    }

    /**
     * Runs {@code step} until it succeeds (storaged not answering yet); false if the service stopped first. A flag,
     * not only the interrupt: an HTTP call in flight may swallow the interrupt.
     */
    private static boolean untilDone(Runnable step, String what, Duration retry, AtomicBoolean stopped) {
        while (!stopped.get()) {
            try {
                step.run();
                return true;
            } catch (RuntimeException e) {
                log.warn("cannot {} from storaged yet ({}); retrying in {} ms", what, e.getMessage(), retry.toMillis());
                try {
                    Thread.sleep(retry.toMillis());
                } catch (InterruptedException ie) {
                    return false;
                }
            }
        }
        return false;
    }
}
