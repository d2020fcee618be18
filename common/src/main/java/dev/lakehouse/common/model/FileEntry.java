package dev.lakehouse.common.model;

import java.util.Map;

/**
 * One Parquet file of a manifest. {@code source} (optional) says how ingestd made it: {@code format} (csv, ndjson,
 * parquet, compaction) and for a CSV the {@code dialect} it was read with; it is not part of the content hash.
 */
public record FileEntry(String key, long rows, long bytes, String etag, Map<String, Object> source) {
    public FileEntry(String key, long rows, long bytes, String etag) {
        this(key, rows, bytes, etag, null);
    }
}
