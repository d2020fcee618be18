package dev.lakehouse.common.model;

/** What storaged answers to a PUT (201). */
public record PutResult(String key, long size, String etag) {}
