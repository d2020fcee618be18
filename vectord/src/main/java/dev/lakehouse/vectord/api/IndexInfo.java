package dev.lakehouse.vectord.api;

import java.time.Instant;

/**
 * An index as GET /index shows it. {@code status} is {@code ready} or {@code failed} (then {@code error}
 * says why its file could not be loaded). {@code count} is live items, {@code tombstoned} removed or replaced
 * ones still in the graph (a compaction drops them). {@code dirty}: changes not yet in a snapshot (they are
 * durable in the WAL); {@code walSeq} the last WAL record applied, {@code snapshotSeq} the last one the stored
 * snapshot covers; {@code walProblem} why the last recovery stopped before the end of the WAL. {@code source}: for
 * an index that follows a dataset, the dataset version it reflects and its sync status ({@code SyncState#view}).
 */
public record IndexInfo(String name, String status, String error, Integer dim, String distance, Integer m,
                        Integer efConstruction, Integer efSearch, Integer count, Integer tombstoned, Long memoryBytes,
                        Boolean dirty, Instant lastSavedAt, Long lastSaveBytes, Long lastSaveMs, Long lastSnapshotPauseMs,
                        String lastSaveError, Long walSeq, Long snapshotSeq, Long walRecords, Long walBytes,
                        Integer replayedRecords, String walProblem, Boolean compacting, String lastCompaction,
                        java.util.Map<String, Object> source, String quantization, Long offHeapBytes) {}
