package dev.lakehouse.vectord.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lakehouse.common.json.RecordFormat;
import java.time.Instant;
import java.util.Map;

/**
 * What a dataset-backed index reflects, stored beside it ({@link SourceStore}): the source, the dataset version
 * last synced (null before the first sync and once the dataset is gone, so any version found later re-syncs),
 * with the manifest's content hash (an erasure rewrites a version in place), and per row the hash of the text and
 * metadata embedded ({@link RowHashes}, 16 bytes a row), so a new version embeds only new or changed rows.
 * {@code status}: {@code in_sync}, {@code stale} (dataset deleted; items and searches kept) or {@code failing}
 * (the last sync stopped; {@code reason} says why, the next poll retries). {@code skippedRows}: rows of the
 * version without an id or text (or with metadata over vectord's cap), counted and not indexed.
 */
public record SyncState(String index, DatasetSource source, Integer datasetVersion, String contentHash, String status, String reason,
                        Instant syncedAt, int skippedRows, int embedded, int removed, RowHashes rowHashes,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> rows) {
    /**
     * 2.0: per-row hashes as {@code row_hashes} (count, crc32, base64 pairs). 1.0 had {@code rows}, an id → hex
     * hash map, read and converted here. Major 2 because a 1.x reader would take the missing map for "no
     * rows" and never delete a removed row. Readers accept majors 1..2 and ignore unknown fields.
     */
    public static final RecordFormat FORMAT = new RecordFormat("vectord_index_source", 1, 2, 0);

    public static final String IN_SYNC = "in_sync";
    public static final String STALE = "stale";
    public static final String FAILING = "failing";

    public SyncState {
        if (rowHashes == null) {
            rowHashes = rows == null || rows.isEmpty() ? RowHashes.EMPTY : RowHashes.fromLegacy(rows);
        }
        rows = null; // only ever read from a 1.0 state
    }

    static SyncState fresh(String index, DatasetSource source) {
        return new SyncState(index, source, null, null, FAILING, "not synced yet", null, 0, 0, 0, RowHashes.EMPTY, null);
    }

    SyncState synced(int version, String hash, int skipped, int embedded, int removed, RowHashes rows) {
        return new SyncState(index, source, version, hash, IN_SYNC, null, Instant.now(), skipped, embedded, removed, rows,
                null);
    }

    /** Dataset gone: the items stay (searches are served), the version is forgotten so a re-created dataset re-syncs. */
    SyncState stale(String why) {
        return new SyncState(index, source, null, null, STALE, why, Instant.now(), skippedRows, 0, 0, rowHashes, null);
    }

    SyncState failing(String why) {
        return new SyncState(index, source, datasetVersion, contentHash, FAILING, why, syncedAt, skippedRows, embedded, removed,
                rowHashes, null);
    }

    /** As GET /index shows it (the per-row hashes stay in storage). */
    public Map<String, Object> view() {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("dataset", source.dataset());
        v.put("id_column", source.idColumn());
        v.put("text_columns", source.textColumns());
        v.put("metadata_columns", source.metadataColumns());
        v.put("status", status);
        v.put("dataset_version", datasetVersion);
        if (reason != null) {
            v.put("reason", reason);
        }
        v.put("synced_at", syncedAt == null ? null : syncedAt.toString());
        v.put("rows", rowHashes.size());
        v.put("skipped_rows", skippedRows);
        // the last sync's work: rows (re-)embedded and ids removed; unchanged rows are not embedded again
        v.put("last_embedded", embedded);
        v.put("last_removed", removed);
        return v;
    }

    /** Whether {@code version}/{@code hash} is what this state reflects already. */
    boolean reflects(int version, String hash) {
        return datasetVersion != null && datasetVersion == version && java.util.Objects.equals(contentHash, hash);
    }
}
