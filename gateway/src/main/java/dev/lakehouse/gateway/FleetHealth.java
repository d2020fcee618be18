package dev.lakehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.client.HttpClients;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.routes.Routes;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** {@code GET /v1/health}: asks every backend's /health in parallel; 200 only if all six (and what they depend on) are ok. */
final class FleetHealth {
    private final Map<Service, String> upstreams;
    private final OkHttpClient http;

    FleetHealth(Map<Service, String> upstreams, Duration timeout) {
        this.upstreams = upstreams;
        this.http = HttpClients.shared().newBuilder().callTimeout(timeout).build();
    }

    /**
     * The fleet's status and what is down: a backend, or a dependency a backend names in its own {@code down}
     * list (storaged names {@code s3}). URLs, versions, heap and threads only for {@code detailed} callers.
     */
    void handle(Context ctx, boolean detailed) {
        Map<Service, CompletableFuture<Map<String, Object>>> probes = new LinkedHashMap<>();
        upstreams.forEach((svc, url) -> probes.put(svc, CompletableFuture.supplyAsync(() -> probe(url))));
        Map<String, Object> services = new LinkedHashMap<>();
        List<String> down = new ArrayList<>();
        probes.forEach((svc, f) -> {
            Map<String, Object> r = f.join();
            services.put(svc.id(), r);
            @SuppressWarnings("unchecked")
            List<String> dependencies = (List<String>) r.getOrDefault("down", List.of());
            dependencies.stream().filter(d -> !down.contains(d)).forEach(down::add);
            if (!"ok".equals(r.get("status")) && dependencies.isEmpty()) {
                down.add(svc.id());
            }
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", down.isEmpty() ? "ok" : "degraded");
        body.put("down", down);
        if (detailed) {
            body.put("services", services);
        }
        ctx.status(down.isEmpty() ? 200 : 503).json(body);
    }

    private Map<String, Object> probe(String baseUrl) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("url", baseUrl);
        try (Response resp = http.newCall(new Request.Builder().url(baseUrl + Routes.HEALTH).build()).execute()) {
            JsonNode node = Json.MAPPER.readTree(resp.body().byteStream());
            r.put("status", resp.code() == 200 && "ok".equals(node.path("status").asText()) ? "ok" : "unhealthy");
            r.put("http_status", resp.code());
            r.put("version", node.path("version").asText(null));
            // resource figures, so load and leak checks can watch the fleet through one URL
            if (node.has("heap")) {
                r.put("heap", Json.MAPPER.convertValue(node.get("heap"), Map.class));
            }
            if (node.has("threads")) {
                r.put("threads", node.get("threads").asInt());
            }
            if (node.path("down").isArray()) {
                List<String> dependencies = new ArrayList<>();
                node.get("down").forEach(d -> dependencies.add(d.asText()));
                r.put("down", dependencies);
            }
        } catch (Exception e) {
            r.put("status", "down");
            r.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return r;
    }
}
