package dev.lakehouse.common.model;

/** One Parquet file of a manifest. */
public record FileEntry(String key, long rows, long bytes, String etag) {}
