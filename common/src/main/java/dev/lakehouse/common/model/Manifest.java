package dev.lakehouse.common.model;

import java.time.Instant;
import java.util.List;

/** One immutable version of a dataset. */
public record Manifest(
        String dataset,
        int version,
        List<ColumnSpec> schema,
        List<FileEntry> files,
        long rows,
        Instant createdAt,
        String contentHash) {}
