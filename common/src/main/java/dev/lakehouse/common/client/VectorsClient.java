package dev.lakehouse.common.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.auth.FleetCredential;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** Typed client of vectord's search (used by queryd's {@code vector_search()}). */
public final class VectorsClient extends ServiceClient {
    public VectorsClient(String baseUrl, OkHttpClient http, FleetCredential credential) {
        super("vectord", baseUrl, http, credential);
    }

    /** One hit as vectord answers it; {@code metadata} is null when the item has none. */
    public record Hit(String id, float score, JsonNode metadata) {}

    public record Hits(List<Hit> hits) {}

    /** {@code Routes.Vectors.SEARCH}; {@code body}: vectord's search request ({@code text} or {@code vector}, {@code k}, {@code ef}, {@code filter}, {@code mode}). */
    public Hits search(String index, Map<String, Object> body) {
        return call(new Request.Builder().url(url("index").addPathSegment(index).addPathSegment("search").build())
                .post(json(body)).build(), Hits.class);
    }
}
