package dev.lakehouse.vectord.api;

import dev.lakehouse.vectord.retrieval.FilteredSearch;
import java.util.List;

/** Answer of a search: hits, best first; {@code plan} says how a filtered dense search was answered. */
public record SearchResponse(List<Hit> hits, int k, int ef, String mode, FilteredSearch.Plan plan) {}
