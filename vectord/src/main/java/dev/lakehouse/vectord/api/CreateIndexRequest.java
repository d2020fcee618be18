package dev.lakehouse.vectord.api;

/** Body of {@code POST /index}; absent fields take the defaults of {@link dev.lakehouse.vectord.engine.IndexSpec}; with a
 * {@code source} the index is built from a dataset's rows and follows its versions ({@link dev.lakehouse.vectord.source.Sources}). */
public record CreateIndexRequest(String name, Integer dim, String distance, Integer m, Integer efConstruction,
                                 Integer efSearch, dev.lakehouse.vectord.source.DatasetSource source,
                                 String quantization) {}
