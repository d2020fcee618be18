package dev.lakehouse.queryd.api;

import java.util.Map;

/**
 * Body of {@code POST /sql}: the statement, optional pinned manifest versions per dataset (time travel), an optional
 * row limit (a JSON page's size; the rows of an export) and the cursor of a JSON page after the first.
 */
public record SqlRequest(String sql, Map<String, Integer> versions, Long limit, String cursor) {
    public SqlRequest {
        versions = versions == null ? Map.of() : Map.copyOf(versions);
    }
}
