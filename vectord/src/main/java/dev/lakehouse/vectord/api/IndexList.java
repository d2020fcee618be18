package dev.lakehouse.vectord.api;

import java.util.List;

/** Answer of {@code GET /index}. */
public record IndexList(List<IndexInfo> indexes) {}
