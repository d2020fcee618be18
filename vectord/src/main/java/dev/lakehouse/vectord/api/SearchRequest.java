package dev.lakehouse.vectord.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /index/{name}/search}: a vector or a text, k (default 10), optional ef, an optional
 * metadata {@code filter} (JSON object or filter text) and {@code mode} dense (default), keyword or hybrid.
 * {@code exact: true} (dense only): the exact top k by a scan of every (matching) item instead of the graph walk —
 * the brute-force reference a client can time over the same path as its searches.
 */
public record SearchRequest(float[] vector, String text, Integer k, Integer ef, JsonNode filter, String mode,
                            Boolean exact) {}
