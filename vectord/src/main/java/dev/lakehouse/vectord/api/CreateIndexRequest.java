package dev.lakehouse.vectord.api;

/** Body of {@code POST /index}; absent fields take the defaults of {@link dev.lakehouse.vectord.engine.IndexSpec}. */
public record CreateIndexRequest(String name, Integer dim, String distance, Integer m, Integer efConstruction,
                                 Integer efSearch) {}
