package dev.lakehouse.common.model;

import java.util.List;

/** Body of {@code GET /datasets}: the datasets, and those whose stored state is unreadable ({@code failed}). */
public record DatasetList(List<DatasetSummary> datasets, List<FailedDataset> failed) {}
