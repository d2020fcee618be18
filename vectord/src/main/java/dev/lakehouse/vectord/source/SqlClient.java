package dev.lakehouse.vectord.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.HttpClients;
import dev.lakehouse.common.client.ServiceClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Request;

/**
 * Typed client of queryd's {@code POST /sql}: one JSON page at a time (at most {@code limit} rows held), pinned to
 * a dataset version so every page of one sync reads the same snapshot.
 */
public final class SqlClient extends ServiceClient {
    public SqlClient(String baseUrl, FleetCredential credential) {
        super("queryd", baseUrl, HttpClients.shared(), credential);
    }

    /** One page of a result (queryd's JSON shape; unknown fields ignored). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page(List<Column> columns, List<List<JsonNode>> rows, boolean truncated, String next,
                       Map<String, Integer> versions) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Column(String name, String type) {}

    /** The first page ({@code cursor} null, read at {@code versions}) or the one a cursor points to. */
    public Page page(String sql, Map<String, Integer> versions, int limit, String cursor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sql", sql);
        body.put("limit", limit);
        if (cursor == null) {
            body.put("versions", versions);
        } else {
            body.put("cursor", cursor); // the cursor carries the versions of the first page
        }
        return call(new Request.Builder().url(url("sql").build()).post(json(body)).build(), Page.class);
    }
}
