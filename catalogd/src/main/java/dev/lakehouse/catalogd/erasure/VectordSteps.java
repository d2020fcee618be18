package dev.lakehouse.catalogd.erasure;

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

    Erased erase(String index, List<String> ids, boolean dryRun) {
        String path = Routes.ERASURE_VECTORD.replace("{name}", index);
        return call(new Request.Builder().url(url(path).build())
                .post(json(Map.of("ids", ids, "dry_run", dryRun))).build(), Erased.class);
    }
}
