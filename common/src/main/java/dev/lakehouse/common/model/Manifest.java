package dev.lakehouse.common.model;

import java.time.Instant;
import java.util.List;

/**
 * One version of a dataset. It never changes once written, with one deliberate exception (ADR 0024): an erasure
 * rewrites a version's files without a person's rows and stamps it with {@code erasedAt} and {@code erasureId}
 * (null on a version no erasure touched; the latest erasure's when several did).
 */
public record Manifest(
        String dataset,
        int version,
        List<ColumnSpec> schema,
        List<FileEntry> files,
        long rows,
        Instant createdAt,
        String contentHash,
        Instant erasedAt,
        String erasureId) {
    public Manifest(String dataset, int version, List<ColumnSpec> schema, List<FileEntry> files, long rows,
            Instant createdAt, String contentHash) {
        this(dataset, version, schema, files, rows, createdAt, contentHash, null, null);
    }
}
