package dev.lakehouse.ingestd;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.FleetKeys;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.idempotency.IdempotencyStore;
import dev.lakehouse.common.idempotency.StorageRecords;
import dev.lakehouse.ingestd.api.Formats;
import dev.lakehouse.ingestd.api.IdempotentIngests;
import dev.lakehouse.ingestd.api.IngestRoutes;
import dev.lakehouse.ingestd.csv.DuckCsv;
import dev.lakehouse.ingestd.format.StreamedCsv;
import dev.lakehouse.ingestd.pipeline.Compactor;
import dev.lakehouse.ingestd.pipeline.Ingester;
import dev.lakehouse.ingestd.pipeline.PendingUploads;
import dev.lakehouse.ingestd.spool.BodyPipes;
import dev.lakehouse.ingestd.spool.CsvSpool;
import dev.lakehouse.ingestd.spool.SpoolJanitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires config → ingestd: its keys are {@link IngestdKeys} (spool, DuckDB, the janitor of unresolved uploads,
 * compaction, uploads that run while DuckDB writes the file), plus {@code storaged.url}/{@code catalogd.url}.
 */
public final class IngestdMain {
    private IngestdMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        Path spoolDir = Path.of(config.get(IngestdKeys.SPOOL_DIR, config.dataDir().resolve("ingest-spool").toString()));
        try {
            // before DuckDB opens its temp dir in there: what a killed ingestd left is removed first
            SpoolJanitor spoolJanitor = new SpoolJanitor(spoolDir,
                    config.get(IngestdKeys.SPOOL_MAX_AGE), Clock.systemUTC());
            CsvSpool spool = new CsvSpool(spoolDir, config.get(IngestdKeys.MAX_CSV_BYTES));
            DuckCsv duck = new DuckCsv(config.get(IngestdKeys.DUCKDB_MEMORY),
                    config.get(IngestdKeys.DUCKDB_THREADS, Runtime.getRuntime().availableProcessors()),
                    spool.dir().resolve("duckdb-tmp"));
            FleetCredential credential = FleetCredential.load(config);
            StorageClient storage = new StorageClient(config.url(Service.STORAGED), credential);
            CatalogClient catalog = new CatalogClient(config.url(Service.CATALOGD), credential);
            PendingUploads pending = new PendingUploads(storage, catalog,
                    config.get(IngestdKeys.PENDING_GRACE));
            Duration janitorEvery = config.get(IngestdKeys.JANITOR_INTERVAL);
            pending.startJanitor(janitorEvery);
            spoolJanitor.start(janitorEvery);
            Ingester ingester = new Ingester(storage, catalog, spool.dir(), pending, new Ingester.Streaming(
                    config.get(IngestdKeys.STREAMED_UPLOADS),
                    config.get(IngestdKeys.STREAM_MIN_BYTES)));
            Compactor compactor = new Compactor(duck, storage, catalog, pending, ingester, spool.dir(),
                    config.get(IngestdKeys.COMPACT_TARGET_BYTES),
                    config.get(IngestdKeys.COMPACT_FILE_THRESHOLD));
            IdempotencyStore idempotency = new IdempotencyStore(new StorageRecords(storage), Service.INGESTD.id(),
                    config.get(FleetKeys.IDEMPOTENCY_WINDOW), Clock.systemUTC());
            idempotency.startSweeping();
            BodyPipes pipes = config.get(IngestdKeys.STREAM_CONVERSION) ? new BodyPipes(spool.dir().resolve("pipes"),
                    config.get(IngestdKeys.STREAM_PREFIX_ROWS), config.get(IngestdKeys.STREAM_PREFIX_MAX_BYTES)) : null;
            StreamedCsv.Counters streamedCsv = new StreamedCsv.Counters();
            return ServiceApp.builder(Service.INGESTD, config)
                    .metrics(m -> {
                        ingester.bindMetrics(m);
                        streamedCsv.bind(m);
                    })
                    .routes(new IngestRoutes(ingester, spool, new Formats(duck), compactor,
                            new IdempotentIngests(ingester, catalog, idempotency), pipes, streamedCsv)::register)
                    .onStop(() -> {
                        if (pipes != null) {
                            pipes.close();
                        }
                        compactor.close();
                        ingester.close();
                        pending.close();
                        spoolJanitor.close();
                        idempotency.close();
                        try {
                            duck.close();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("ingestd spool dir " + spoolDir, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open DuckDB: " + e.getMessage(), e);
        }
    }
}
