package dev.lakehouse.vectord.store;

import java.time.Duration;

/**
 * How the registry keeps indexes durable and bounded (keys in docs/configuration.md).
 *
 * @param wal              log every add/delete batch before answering (false: reference for the bench only;
 *                         acknowledged changes then survive only the next snapshot)
 * @param groupDelay       extra wait before a record is cut, to gather more batches into one PUT
 * @param maxRecordBytes   a record gathers batches up to this size (a single bigger batch is still one record)
 * @param snapshotWalBytes a snapshot is taken once the WAL since the last one holds this many bytes...
 * @param snapshotMaxAge   ...or its oldest record is this old
 * @param retry            wait after a failed snapshot before the next attempt
 * @param memoryBudget     estimated heap all indexes may hold; an add beyond it is refused with 507
 * @param compactShare     tombstones above this share of an index's nodes start a background compaction...
 * @param compactMinNodes  ...once the index has at least this many nodes
 * @param idempotencyWindow how long an {@code Idempotency-Key} is remembered...
 * @param idempotencyMaxKeys ...and how many per index at most (the oldest go first)
 */
public record Durability(boolean wal, Duration groupDelay, long maxRecordBytes, long snapshotWalBytes,
                         Duration snapshotMaxAge, Duration retry, long memoryBudget, double compactShare,
                         int compactMinNodes, Duration idempotencyWindow, int idempotencyMaxKeys) {
    public static Durability defaults() {
        return new Durability(true, Duration.ZERO, 64L << 20, 256L << 20, Duration.ofMinutes(10),
                Duration.ofSeconds(5), (long) (Runtime.getRuntime().maxMemory() * 0.7), 0.2, 1000,
                Duration.ofHours(24), 100_000);
    }
}
