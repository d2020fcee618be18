package dev.lakehouse.vectord.api;

/** Body of {@code POST /index/{name}/search}: a vector or a text, k (default 10) and optional ef. */
public record SearchRequest(float[] vector, String text, Integer k, Integer ef) {}
