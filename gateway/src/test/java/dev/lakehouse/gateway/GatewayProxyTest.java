package dev.lakehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway against a real backend (a Javalin echo server) and against ports where nothing listens. */
class GatewayProxyTest {
    static ServiceApp backend;
    static ServiceApp gateway;
    static String gw;
    static final OkHttpClient http = new OkHttpClient();

    @BeforeAll
    static void start() throws IOException {
        Config testConfig = TestGateways.config(Map.of("http.shutdown_hook", "false"));
        backend = ServiceApp.builder(Service.STORAGED, testConfig).port(0).routes(r -> {
            r.addHttpHandler(io.javalin.http.HandlerType.PUT, "/objects/<key>", ctx -> {
                byte[] body = ctx.bodyAsBytes();
                Map<String, Object> echo = new HashMap<>();
                echo.put("path", ctx.req().getRequestURI());
                echo.put("query", ctx.queryString());
                echo.put("size", body.length);
                echo.put("x_custom", ctx.header("X-Custom"));
                echo.put("connection_option", ctx.header("X-Hop"));
                ctx.status(201).json(echo);
            });
            r.get("/objects/<key>", ctx -> ctx.header("ETag", "\"abc\"").result("payload:" + ctx.pathParam("key")));
            r.get("/slow", ctx -> {
                Thread.sleep(3000);
                ctx.result("late");
            });
        }).start();
        int dead = freePort();
        Map<String, String> cfg = new HashMap<>();
        cfg.put("http.shutdown_hook", "false");
        cfg.put("gateway.port", "0");
        cfg.put("gateway.upstream_timeout", "1s");
        for (Service s : dev.lakehouse.common.routes.Routes.backends()) {
            cfg.put(s.id() + ".url", "http://127.0.0.1:" + dead);
        }
        cfg.put("storaged.url", backend.baseUrl());
        gateway = GatewayMain.start(TestGateways.config(cfg));
        gw = gateway.baseUrl();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void forwardsPathQueryHeadersAndBodyWithoutPrefix() throws IOException {
        Request req = new Request.Builder()
                .url(gw + "/v1/storage/objects/a%20b/c.txt?x=1&y=two")
                .header("X-Custom", "kept")
                .header("Connection", "keep-alive")
                .put(RequestBody.create("hello", MediaType.get("text/plain")))
                .build();
        try (Response r = http.newCall(req).execute()) {
            assertEquals(201, r.code());
            JsonNode echo = Json.MAPPER.readTree(r.body().string());
            assertEquals("/objects/a%20b/c.txt", echo.get("path").asText());
            assertEquals("x=1&y=two", echo.get("query").asText());
            assertEquals(5, echo.get("size").asInt());
            assertEquals("kept", echo.get("x_custom").asText());
        }
        try (Response r = http.newCall(new Request.Builder().url(gw + "/v1/storage/objects/k1").build()).execute()) {
            assertEquals(200, r.code());
            assertEquals("\"abc\"", r.header("ETag"));
            assertEquals(List.of("storaged"), r.headers(ServiceApp.SERVICE_HEADER));
            assertEquals("payload:k1", r.body().string());
        }
    }

    @Test
    void unreachableBackendIs502Json() throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(gw + "/v1/catalog/datasets").build()).execute()) {
            assertEquals(502, r.code());
            JsonNode body = Json.MAPPER.readTree(r.body().string());
            assertEquals(502, body.get("status").asInt());
            assertEquals("catalogd", body.get("service").asText());
            assertTrue(body.get("error").asText().contains("unreachable"));
        }
    }

    @Test
    void slowBackendIs504() throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(gw + "/v1/storage/slow").build()).execute()) {
            assertEquals(504, r.code());
            assertEquals(504, Json.MAPPER.readTree(r.body().string()).get("status").asInt());
        }
    }

    @Test
    void fleetHealthNamesTheDownBackends() throws IOException {
        Request withCredential = TestGateways.FLEET.sign(new Request.Builder().url(gw + "/v1/health").build());
        try (Response r = http.newCall(withCredential).execute()) {
            assertEquals(503, r.code());
            JsonNode body = Json.MAPPER.readTree(r.body().string());
            assertEquals("degraded", body.get("status").asText());
            assertEquals("ok", body.at("/services/storaged/status").asText());
            assertEquals("down", body.at("/services/queryd/status").asText());
            assertEquals(5, body.get("down").size());
        }
    }

    @Test
    void fleetHealthShowsAnAnonymousCallerStatusOnlyNoUrlsVersionsOrHeap() throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(gw + "/v1/health").build()).execute()) {
            assertEquals(503, r.code());
            String text = r.body().string();
            JsonNode body = Json.MAPPER.readTree(text);
            assertEquals("degraded", body.get("status").asText());
            assertEquals(5, body.get("down").size());
            assertTrue(body.path("services").isMissingNode(), text);
            assertFalse(text.contains("127.0.0.1") || text.contains("heap") || text.contains("version"), text);
        }
    }

    @Test
    void unknownRouteIsJson404AndOwnHealthWorks() throws IOException {
        try (Response r = http.newCall(new Request.Builder().url(gw + "/v2/nothing").build()).execute()) {
            assertEquals(404, r.code());
            assertEquals(404, Json.MAPPER.readTree(r.body().string()).get("status").asInt());
        }
        try (Response r = http.newCall(new Request.Builder().url(gw + "/health").build()).execute()) {
            assertEquals(200, r.code());
            JsonNode body = Json.MAPPER.readTree(r.body().string());
            assertEquals("gateway", body.get("service").asText());
            assertNull(body.get("error"));
        }
    }
}
