package dev.lakehouse.common.model;

import java.time.Instant;

/** A dataset in the catalog listing: its latest version and row count. */
public record DatasetSummary(String name, int latestVersion, long rows, Instant updatedAt) {}
