package dev.lakehouse.common.model;

import java.util.List;

/** Body of {@code GET /datasets}. */
public record DatasetList(List<DatasetSummary> datasets) {}
