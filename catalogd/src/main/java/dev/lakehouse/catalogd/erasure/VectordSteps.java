package dev.lakehouse.catalogd.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.ServiceClient;
import dev.lakehouse.common.routes.Routes;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** vectord's erasure step: remove items from the live graph, rebuild, snapshot, drop the WAL that held them. */
final class VectordSteps extends ServiceClient {
    record Erased(String index, List<String> present, int removed) {}

    VectordSteps(String baseUrl, OkHttpClient http, FleetCredential credential) {
        super("vectord", baseUrl, http, credential);
    }

    /** Erases the items {@code ids} names, or (ids null) those {@code filter} matches when the step runs. */
    Erased erase(String index, List<String> ids, JsonNode filter, boolean dryRun) {
        String path = Routes.ERASURE_VECTORD.replace("{name}", index);
        Map<String, Object> body = ids != null ? Map.of("ids", ids, "dry_run", dryRun)
                : Map.of("filter", filter, "dry_run", dryRun);
        return call(new Request.Builder().url(url(path).build()).post(json(body)).build(), Erased.class);
    }
}
