package dev.lakehouse.common.model;

import java.time.Instant;

/** One stored object as listed by storaged. */
public record ObjectInfo(String key, long size, String etag, Instant lastModified) {}
