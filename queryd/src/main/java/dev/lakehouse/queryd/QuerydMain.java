package dev.lakehouse.queryd;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.CatalogClient;
import dev.lakehouse.common.client.HttpClients;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.client.VectorsClient;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.S3Settings;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.http.StatsMeters;
import dev.lakehouse.common.s3.S3Clients;
import dev.lakehouse.queryd.admission.Admission;
import dev.lakehouse.queryd.api.SqlRoutes;
import dev.lakehouse.queryd.engine.DuckEngine;
import dev.lakehouse.queryd.erasure.ErasureRoutes;
import dev.lakehouse.queryd.erasure.FileEraser;
import dev.lakehouse.queryd.exec.QueryRunner;
import dev.lakehouse.queryd.result.ResultMemory;
import dev.lakehouse.queryd.vectors.VectorSearch;
import dev.lakehouse.queryd.views.DatasetViews;
import dev.lakehouse.queryd.views.DeletedDatasetSweep;
import dev.lakehouse.queryd.views.ParquetCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Wires config → the queryd server: two locked-down DuckDBs (JSON pages materialized, exports streamed), the local
 * Parquet cache fed from S3, the catalog client, admission with its queue, the result-memory budget, and
 * {@code POST /sql}. Keys: {@link QuerydKeys} (docs/queryd.md) and docs/configuration.md.
 */
public final class QuerydMain {
    private QuerydMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        Path root = config.dataDir().resolve("queryd");
        Path cacheDir = Path.of(config.get(QuerydKeys.CACHE_DIR, root.resolve("cache").toString()));
        S3Settings s3settings = Secrets.primaryS3(config);
        S3Client s3 = S3Clients.create(s3settings);
        ParquetCache cache = new ParquetCache(cacheDir,
                config.get(QuerydKeys.CACHE_MAX_BYTES), s3, s3settings.bucket());
        String memoryLimit = config.get(QuerydKeys.DUCKDB_MEMORY_LIMIT);
        int threads = config.get(QuerydKeys.DUCKDB_THREADS);
        boolean allocatorThreads = config.get(QuerydKeys.DUCKDB_ALLOCATOR_BACKGROUND_THREADS);
        DuckEngine pages = new DuckEngine(cacheDir, root.resolve("spill"), memoryLimit, threads, allocatorThreads, false);
        DuckEngine exports = new DuckEngine(cacheDir, root.resolve("spill-exports"), memoryLimit, threads,
                allocatorThreads, true, config.get(QuerydKeys.DUCKDB_STREAMING_BUFFER),
                config.get(QuerydKeys.CSV_COPY) ? root.resolve("exports") : null);
        Duration statementTimeout = config.get(QuerydKeys.STATEMENT_TIMEOUT);
        // asked on every query: no OkHttp watchdog thread woken twice per call; a catalog silent for as long as a
        // statement may run fails the query (504) instead of holding it
        FleetCredential credential = FleetCredential.load(config);
        CatalogClient catalog = new CatalogClient(config.url(Service.CATALOGD), HttpClients.idleTimed(statementTimeout),
                credential);
        DeletedDatasetSweep sweep = new DeletedDatasetSweep(catalog, cache,
                config.get(QuerydKeys.CACHE_SWEEP_INTERVAL));
        int maxConcurrent = config.get(QuerydKeys.MAX_CONCURRENT);
        Admission admission = new Admission(maxConcurrent, config.get(QuerydKeys.QUEUE_LENGTH),
                config.get(QuerydKeys.QUEUE_TIMEOUT));
        QueryRunner runner = new QueryRunner(pages, exports, new DatasetViews(catalog, cache), statementTimeout,
                config.get(QuerydKeys.EXPORT_TIMEOUT), admission, maxConcurrent,
                config.get(QuerydKeys.STATEMENT_CACHE),
                new VectorSearch(new VectorsClient(config.url(Service.VECTORD), HttpClients.idleTimed(statementTimeout),
                        credential)));
        runner.pivotMaxValues(config.get(QuerydKeys.PIVOT_MAX_VALUES));
        ResultMemory memory = new ResultMemory(
                config.get(QuerydKeys.RESULT_MAX_BYTES, config.get(QuerydKeys.ARROW_MAX_BYTES)),
                config.get(QuerydKeys.RESULT_QUERY_MAX_BYTES, config.get(QuerydKeys.ARROW_QUERY_MAX_BYTES)),
                config.get(QuerydKeys.ARROW_BATCH_ROWS), config.get(QuerydKeys.TEXT_BATCH_ROWS),
                config.get(QuerydKeys.CSV_BATCH_ROWS));
        SqlRoutes sql = new SqlRoutes(runner, memory, config.get(QuerydKeys.ROW_LIMIT),
                config.get(QuerydKeys.MAX_ROW_LIMIT));
        // erasure steps for catalogd's coordinator (ADR 0024): the rewritten files go through storaged like ingestd's
        FileEraser eraser = new FileEraser(cache, new StorageClient(config.url(Service.STORAGED), credential),
                root.resolve("erasure"), config.get(QuerydKeys.ERASURE_MEMORY_LIMIT));
        return ServiceApp.builder(Service.QUERYD, config)
                .routes(sql::register)
                .routes(new ErasureRoutes(eraser)::register)
                // the /health figures as Prometheus series; statement timeouts are http_server_requests{status="504"}
                .metrics(m -> {
                    StatsMeters.gauges(m, "queryd", runner::stats, "admission.running", "admission.queued", "admission.slots");
                    StatsMeters.counters(m, "queryd", runner::stats, "admission.waited", "admission.refused_queue_full",
                            "admission.refused_queue_timeout");
                    StatsMeters.gauges(m, "queryd_cache", cache::stats, "files", "bytes", "max_bytes", "pinned");
                    StatsMeters.counters(m, "queryd_cache", cache::stats, "hits", "downloads", "downloaded_bytes", "evictions");
                })
                .health(() -> {
                    Map<String, Object> h = new LinkedHashMap<>();
                    h.put("duckdb", pages.version());
                    h.put("httpfs", pages.httpfsLoaded());
                    h.put("cache", cache.stats());
                    h.putAll(runner.stats());
                    h.put("result_memory", memory.stats());
                    return h;
                })
                .onStop(sweep::close)
                .onStop(s3::close)
                .onStop(runner::close)
                .onStop(pages::close)
                .onStop(exports::close)
                .onStop(memory::close)
                .start();
    }
}
