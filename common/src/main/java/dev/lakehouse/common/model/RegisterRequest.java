package dev.lakehouse.common.model;

import java.util.List;

/** Body of {@code POST /datasets/{name}/manifests}; {@code expectedVersion} (nullable) enables optimistic concurrency. */
public record RegisterRequest(List<ColumnSpec> schema, List<FileEntry> files, Integer expectedVersion) {}
