package dev.lakehouse.common.model;

/** Answer of {@code GET /embed/models}: the configured model and its dimension. */
public record ModelInfo(String model, int dim, String backend) {}
