package dev.lakehouse.vectord.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /index/{name}/search}: a vector or a text, k (default 10), optional ef, an optional
 * metadata {@code filter} (JSON object or filter text) and {@code mode} dense (default), keyword or hybrid.
 */
public record SearchRequest(float[] vector, String text, Integer k, Integer ef, JsonNode filter, String mode) {}
