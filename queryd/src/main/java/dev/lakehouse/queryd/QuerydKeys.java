package dev.lakehouse.queryd;

import dev.lakehouse.common.config.Key;
import java.time.Duration;
import java.util.List;

/** queryd's config keys, declared once; docs/queryd.md has one row per key (checked by QuerydKeysTest). */
public final class QuerydKeys {
    private QuerydKeys() {}

    public static final Key<String> CACHE_DIR = Key.string("queryd.cache_dir", null, "the local Parquet cache")
            .computed("`<data_dir>/queryd/cache`");
    public static final Key<Long> CACHE_MAX_BYTES = Key.bytes("queryd.cache_max_bytes", 8L << 30,
            "size of that cache (least recently used files out first)");
    public static final Key<Duration> CACHE_SWEEP_INTERVAL = Key.duration("queryd.cache_sweep_interval",
            Duration.ofSeconds(2), "how often the cached files of datasets the catalog no longer lists are evicted; a"
            + " query naming a deleted dataset evicts them at once");
    public static final Key<Long> ROW_LIMIT = Key.longValue("queryd.row_limit", 10_000, "JSON page size");
    public static final Key<Long> MAX_ROW_LIMIT = Key.longValue("queryd.max_row_limit", 1_000_000, "largest JSON page");
    public static final Key<Duration> STATEMENT_TIMEOUT = Key.duration("queryd.statement_timeout", Duration.ofSeconds(30),
            "a statement running longer is cancelled (504); also the catalog client's socket idle timeout");
    public static final Key<Duration> EXPORT_TIMEOUT = Key.duration("queryd.export_timeout", Duration.ofMinutes(10),
            "bound of a whole export");
    public static final Key<Integer> MAX_CONCURRENT = Key.integer("queryd.max_concurrent", 8, "queries running at once");
    public static final Key<Integer> QUEUE_LENGTH = Key.integer("queryd.queue_length", 64,
            "queries waiting (FIFO) for a slot; more → 503 `queue_full`");
    public static final Key<Duration> QUEUE_TIMEOUT = Key.duration("queryd.queue_timeout", Duration.ofSeconds(10),
            "longest wait for a slot → 503 `queue_timeout`");
    public static final Key<String> DUCKDB_MEMORY_LIMIT = Key.string("queryd.duckdb_memory_limit", "2GB",
            "DuckDB's `memory_limit`, each of the two DuckDBs (pages, exports)");
    public static final Key<Integer> DUCKDB_THREADS = Key.integer("queryd.duckdb_threads", 0, "DuckDB's threads; 0 = one per core");
    public static final Key<String> DUCKDB_STREAMING_BUFFER = Key.string("queryd.duckdb_streaming_buffer", "16MB",
            "how far the export database's workers compute ahead of the export's reader, DuckDB's"
            + " `streaming_buffer_size`, per running export (ADR 0027)");
    public static final Key<Boolean> DUCKDB_ALLOCATOR_BACKGROUND_THREADS = Key.bool(
            "queryd.duckdb_allocator_background_threads", true,
            "DuckDB's allocator returns memory to the OS on threads of its own, not the query's");
    public static final Key<Integer> PIVOT_MAX_VALUES = Key.integer("queryd.pivot_max_values", 1000,
            "most distinct values a PIVOT without an IN list may pivot into (400 `pivot_too_many_values` above)");
    public static final Key<Integer> STATEMENT_CACHE = Key.integer("queryd.statement_cache", 1024,
            "admitted statements remembered");
    public static final Key<Integer> ARROW_BATCH_ROWS = Key.integer("queryd.arrow_batch_rows", 65536, "rows per Arrow batch");
    public static final Key<Integer> TEXT_BATCH_ROWS = Key.integer("queryd.text_batch_rows", 2048,
            "rows per batch read for a JSON page");
    public static final Key<Boolean> CSV_COPY = Key.bool("queryd.csv_copy", true,
            "a CSV export is DuckDB's own COPY into a pipe queryd reads (ADR 0042); false: lines rendered by DuckDB and"
            + " read through its Arrow export (ADR 0027)");
    public static final Key<Integer> CSV_BATCH_ROWS = Key.integer("queryd.csv_batch_rows", 65536,
            "rows (CSV lines) per batch read for a CSV export (ADR 0027)");
    public static final Key<Long> RESULT_MAX_BYTES = Key.bytes("queryd.result_max_bytes", 1L << 30,
            "all queries' result batches together (507 `result_memory_exhausted` above it)");
    public static final Key<Long> RESULT_QUERY_MAX_BYTES = Key.bytes("queryd.result_query_max_bytes", 256L << 20,
            "one batch of one query's result (413 `result_too_large` above it)");
    /** The keys before session 6, still read when the new ones are not set. */
    public static final Key<Long> ARROW_MAX_BYTES = Key.bytes("queryd.arrow_max_bytes", RESULT_MAX_BYTES.defaultValue(),
            "the older name of `queryd.result_max_bytes`, read when that is not set");
    public static final Key<Long> ARROW_QUERY_MAX_BYTES = Key.bytes("queryd.arrow_query_max_bytes",
            RESULT_QUERY_MAX_BYTES.defaultValue(), "the older name of `queryd.result_query_max_bytes`, read when that is not set");
    public static final Key<String> ERASURE_MEMORY_LIMIT = Key.string("queryd.erasure_memory_limit", "256MB",
            "DuckDB memory of the locked-down database an erasure step rewrites a file in (docs/erasure.md)");

    public static final List<Key<?>> ALL = List.of(CACHE_DIR, CACHE_MAX_BYTES, CACHE_SWEEP_INTERVAL, ROW_LIMIT, MAX_ROW_LIMIT,
            STATEMENT_TIMEOUT, EXPORT_TIMEOUT, MAX_CONCURRENT, QUEUE_LENGTH, QUEUE_TIMEOUT, DUCKDB_MEMORY_LIMIT, DUCKDB_THREADS,
            DUCKDB_STREAMING_BUFFER, DUCKDB_ALLOCATOR_BACKGROUND_THREADS, PIVOT_MAX_VALUES, STATEMENT_CACHE, ARROW_BATCH_ROWS, TEXT_BATCH_ROWS, CSV_COPY, CSV_BATCH_ROWS,
            RESULT_MAX_BYTES, RESULT_QUERY_MAX_BYTES, ARROW_MAX_BYTES, ARROW_QUERY_MAX_BYTES, ERASURE_MEMORY_LIMIT);
}
