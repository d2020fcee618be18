package dev.lakehouse.vectord.api;

import java.time.Instant;

/**
 * An index as GET /index shows it. {@code status} is {@code ready} or {@code failed} (then {@code error}
 * says why its file could not be loaded); {@code dirty} means changes not yet in storage.
 */
public record IndexInfo(String name, String status, String error, Integer dim, String distance, Integer m,
                        Integer efConstruction, Integer efSearch, Integer count, Boolean dirty, Instant lastSavedAt,
                        Long lastSaveBytes, Long lastSaveMs, String lastSaveError) {}
