package dev.lakehouse.vectord.api;

import java.util.List;

/** Answer of a search: hits, closest first. */
public record SearchResponse(List<Hit> hits, int k, int ef) {}
