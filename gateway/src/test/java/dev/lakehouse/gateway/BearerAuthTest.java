package dev.lakehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.routes.Routes;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** With LAKEHOUSE_TOKEN set, every /v1/* but /v1/health needs the bearer token; without it, nothing does. */
class BearerAuthTest {
    static final OkHttpClient http = new OkHttpClient();

    static ServiceApp backendEchoingAuthorization() {
        return ServiceApp.builder(Service.STORAGED, TestGateways.config(Map.of("http.shutdown_hook", "false"))).port(0)
                .routes(r -> r.get("/objects/<key>", ctx -> ctx.result("auth=" + ctx.header("Authorization"))))
                .start();
    }

    static ServiceApp gateway(String backendUrl, String token) {
        Map<String, String> cfg = new HashMap<>(Map.of("http.shutdown_hook", "false", "gateway.port", "0"));
        Routes.backends().forEach(s -> cfg.put(s.id() + ".url", backendUrl));
        if (token != null) {
            cfg.put("token", token);
        }
        return GatewayMain.start(TestGateways.config(cfg));
    }

    static Response get(String url, String auth) throws IOException {
        Request.Builder b = new Request.Builder().url(url);
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.newCall(b.build()).execute();
    }

    @Test
    void tokenRequiredWhenConfigured() throws IOException {
        try (ServiceApp backend = backendEchoingAuthorization(); ServiceApp gw = gateway(backend.baseUrl(), "s3cret-token")) {
            String obj = gw.baseUrl() + "/v1/storage/objects/k";
            for (String bad : new String[] {null, "Bearer wrong", "Basic czNjcmV0LXRva2Vu", "Bearer "}) {
                try (Response r = get(obj, bad)) {
                    assertEquals(401, r.code(), "auth " + bad);
                    JsonNode err = Json.MAPPER.readTree(r.body().string());
                    assertEquals(401, err.get("status").asInt());
                    assertEquals(ErrorCodes.UNAUTHORIZED, err.get("code").asText());
                    assertEquals("Bearer realm=\"lakehouse\"", r.header("WWW-Authenticate"));
                }
            }
            try (Response r = get(obj, "Bearer s3cret-token")) {
                assertEquals(200, r.code());
                assertEquals("auth=null", r.body().string(), "the token is not forwarded to backends");
            }
            try (Response r = get(gw.baseUrl() + "/v1/health", null)) {
                assertEquals(200, r.code(), "fleet health stays open for probes");
            }
        }
    }

    @Test
    void openWhenNoTokenConfigured() throws IOException {
        try (ServiceApp backend = backendEchoingAuthorization(); ServiceApp gw = gateway(backend.baseUrl(), null)) {
            try (Response r = get(gw.baseUrl() + "/v1/storage/objects/k", null)) {
                assertEquals(200, r.code());
                assertNull(r.header("WWW-Authenticate"));
            }
        }
    }
}
