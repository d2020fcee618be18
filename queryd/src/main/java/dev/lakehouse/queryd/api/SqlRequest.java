package dev.lakehouse.queryd.api;

import java.util.Map;

/**
 * Body of {@code POST /sql}: the statement, optional pinned manifest versions per dataset (time travel) and an
 * optional row limit (capped by {@code queryd.max_row_limit}).
 */
public record SqlRequest(String sql, Map<String, Integer> versions, Integer limit) {
    public SqlRequest {
        versions = versions == null ? Map.of() : Map.copyOf(versions);
    }
}
