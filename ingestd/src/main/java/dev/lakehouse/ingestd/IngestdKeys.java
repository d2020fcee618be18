package dev.lakehouse.ingestd;

import dev.lakehouse.common.config.Key;
import java.time.Duration;
import java.util.List;

/** ingestd's config keys, declared once; docs/ingestd.md has one row per key (checked by IngestdKeysTest). */
public final class IngestdKeys {
    private IngestdKeys() {}

    public static final Key<String> SPOOL_DIR = Key.string("ingestd.spool_dir", null,
            "temp CSV/Parquet files of the ingests in flight").computed("`<data_dir>/ingest-spool`");
    public static final Key<Long> MAX_CSV_BYTES = Key.bytes("ingestd.max_csv_bytes", 8L << 30,
            "largest body, decompressed, any format (413 above it)");
    public static final Key<String> DUCKDB_MEMORY = Key.string("ingestd.duckdb_memory", "512MB", "DuckDB's `memory_limit`");
    public static final Key<Integer> DUCKDB_THREADS = Key.integer("ingestd.duckdb_threads", 0, "DuckDB's threads")
            .computed("all cores");
    public static final Key<Duration> PENDING_GRACE = Key.duration("ingestd.pending_grace", Duration.ofSeconds(20),
            "an upload intent older than this with no answer is resolved by the janitor (`PendingUploads`)");
    public static final Key<Duration> JANITOR_INTERVAL = Key.duration("ingestd.janitor_interval", Duration.ofSeconds(10),
            "how often the janitor resolves those intents and sweeps the spool");
    public static final Key<Duration> SPOOL_MAX_AGE = Key.duration("ingestd.spool_max_age", Duration.ofHours(6),
            "spool files untouched this long are removed (`SpoolJanitor`)");
    public static final Key<Long> COMPACT_TARGET_BYTES = Key.bytes("ingestd.compact_target_bytes", 128L << 20,
            "size of the files a compaction writes");
    public static final Key<Integer> COMPACT_FILE_THRESHOLD = Key.integer("ingestd.compact_file_threshold", 64,
            "a dataset with more files is compacted in the background; 0 = only on request");
    public static final Key<Integer> STREAMED_UPLOADS = Key.integer("ingestd.streamed_uploads", 2,
            "uploads at once that run while DuckDB writes the file (ADR 0028); 0 = upload only the finished file");
    public static final Key<Long> STREAM_MIN_BYTES = Key.bytes("ingestd.stream_min_bytes", 8L << 20,
            "smaller bodies upload the finished file");
    public static final Key<Boolean> STREAM_CONVERSION = Key.bool("ingestd.stream_conversion", false,
            "true: a CSV body's conversion reads it from a pipe while it arrives, once its prefix is sniffed; off by default: on 2 cores it cost CPU and gained no wall time (ADR 0047)");
    public static final Key<Integer> STREAM_PREFIX_ROWS = Key.integer("ingestd.stream_prefix_rows", 40960,
            "lines of a CSV body sniffed before its streamed conversion starts (DuckDB's sample is 20,480 rows; at least 1 MiB)");
    public static final Key<Long> STREAM_PREFIX_MAX_BYTES = Key.bytes("ingestd.stream_prefix_max_bytes", 64L << 20,
            "a body whose prefix lines take more is spooled whole before its conversion");

    public static final List<Key<?>> ALL = List.of(SPOOL_DIR, MAX_CSV_BYTES, DUCKDB_MEMORY, DUCKDB_THREADS, PENDING_GRACE,
            JANITOR_INTERVAL, SPOOL_MAX_AGE, COMPACT_TARGET_BYTES, COMPACT_FILE_THRESHOLD, STREAMED_UPLOADS,
            STREAM_MIN_BYTES, STREAM_CONVERSION, STREAM_PREFIX_ROWS, STREAM_PREFIX_MAX_BYTES);
}
