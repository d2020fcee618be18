package dev.lakehouse.vectord;

import dev.lakehouse.common.config.Key;
import dev.lakehouse.vectord.store.Durability;
import java.time.Duration;
import java.util.List;

/**
 * vectord's config keys, declared once; docs/vectord.md has one row per key (checked by VectordKeysTest). The
 * durability defaults are {@link Durability#defaults()}'s, which tests use without a config.
 */
public final class VectordKeys {
    private VectordKeys() {}

    private static final Durability D = Durability.defaults();

    public static final Key<Boolean> WAL = Key.bool("vectord.wal", D.wal(),
            "write every batch to the WAL before answering; `false` is the bench's reference only (acknowledged"
            + " changes then survive only the next snapshot)");
    public static final Key<Duration> WAL_GROUP_DELAY = Key.duration("vectord.wal_group_delay", D.groupDelay(),
            "extra wait before a record is cut to gather more batches (batches arriving during a PUT are grouped anyway)");
    public static final Key<Long> WAL_MAX_RECORD_BYTES = Key.bytes("vectord.wal_max_record_bytes", D.maxRecordBytes(),
            "a record gathers batches up to this size (one bigger batch is still one record)");
    public static final Key<Long> SNAPSHOT_WAL_BYTES = Key.bytes("vectord.snapshot_wal_bytes", D.snapshotWalBytes(),
            "snapshot once the WAL since the last snapshot is this big...");
    public static final Key<Duration> SNAPSHOT_MAX_AGE = Key.duration("vectord.snapshot_max_age", D.snapshotMaxAge(),
            "...or its oldest record this old (this also bounds recovery work)");
    public static final Key<Duration> SAVE_RETRY = Key.duration("vectord.save_retry", D.retry(),
            "wait after a failed snapshot before the next attempt");
    public static final Key<Long> MEMORY_BUDGET = Key.bytes("vectord.memory_budget", D.memoryBudget(),
            "estimated heap all indexes may hold (bytes)").computed("70 % of the max heap");
    public static final Key<Double> COMPACT_TOMBSTONE_SHARE = Key.decimal("vectord.compact_tombstone_share",
            D.compactShare(), "tombstone share of the nodes that starts a background compaction");
    public static final Key<Integer> COMPACT_MIN_NODES = Key.integer("vectord.compact_min_nodes", D.compactMinNodes(),
            "no automatic compaction below this many nodes");
    public static final Key<Duration> IDEMPOTENCY_WINDOW = Key.duration("vectord.idempotency_window",
            D.idempotencyWindow(), "how long an `Idempotency-Key` is remembered...");
    public static final Key<Integer> IDEMPOTENCY_MAX_KEYS = Key.integer("vectord.idempotency_max_keys",
            D.idempotencyMaxKeys(), "...and how many per index at most (the oldest are forgotten first)");
    public static final Key<String> TMP_DIR = Key.string("vectord.tmp_dir", null,
            "snapshot write and load stream through a temp file there").computed("`<data_dir>/vectord-tmp`");
    public static final Key<Duration> SOURCE_POLL_INTERVAL = Key.duration("vectord.source_poll_interval",
            Duration.ofSeconds(30), "how often dataset-backed indexes ask catalogd for a new version (`0s`: only"
            + " `POST /index/{name}/sync`)");
    public static final Key<Integer> SOURCE_PAGE_ROWS = Key.integer("vectord.source_page_rows", 2000,
            "rows per queryd page a sync reads (one page held at a time)");
    public static final Key<Integer> SOURCE_BATCH_ROWS = Key.integer("vectord.source_batch_rows", 256,
            "changed rows embedded and written per batch");
    public static final Key<Integer> METRICS_MAX_INDEXES = Key.integer("vectord.metrics_max_indexes", 50,
            "indexes with their own `index` label in `/metrics` (in name order); the rest are summed as `_other`"
            + " (docs/operations.md)");

    public static final List<Key<?>> ALL = List.of(WAL, WAL_GROUP_DELAY, WAL_MAX_RECORD_BYTES, SNAPSHOT_WAL_BYTES,
            SNAPSHOT_MAX_AGE, SAVE_RETRY, MEMORY_BUDGET, COMPACT_TOMBSTONE_SHARE, COMPACT_MIN_NODES, IDEMPOTENCY_WINDOW,
            IDEMPOTENCY_MAX_KEYS, TMP_DIR, SOURCE_POLL_INTERVAL, SOURCE_PAGE_ROWS, SOURCE_BATCH_ROWS, METRICS_MAX_INDEXES);
}
