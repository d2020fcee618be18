package dev.lakehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's files come out of the gateway jar at / and /ui/..., without the token, and nothing else does. */
class ConsoleRoutesTest {
    static final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();
    static ServiceApp gw;

    @BeforeAll
    static void start() {
        gw = TestGateways.allBackendsAt(9, Map.of("token", "console-secret"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static Response get(String path) throws IOException {
        return http.newCall(new Request.Builder().url(gw.baseUrl() + path).build()).execute();
    }

    @Test
    void theRootAndEveryPageRouteAnswerTheConsolesIndexWithoutAToken() throws IOException {
        for (String path : List.of("/", "/ui", "/ui/", "/ui/sql", "/ui/datasets/sales")) {
            try (Response r = get(path)) {
                assertEquals(200, r.code(), path);
                assertEquals("text/html;charset=utf-8", r.header("Content-Type").replace(" ", "").toLowerCase(), path);
                assertTrue(r.body().string().contains("<script type=\"module\" src=\"/ui/assets/app.js\">"), path);
                assertTrue(r.header("Content-Security-Policy").contains("script-src 'self'"), path);
                assertEquals("nosniff", r.header("X-Content-Type-Options"));
            }
        }
    }

    @Test
    void assetsAreServedWithTheirTypeAndTheApiStillNeedsTheToken() throws IOException {
        try (Response r = get("/ui/assets/app.js")) {
            assertEquals(200, r.code());
            assertTrue(r.header("Content-Type").startsWith("text/javascript"), r.header("Content-Type"));
            assertTrue(r.body().string().contains("import"));
        }
        try (Response r = get("/ui/assets/api.js")) {
            assertTrue(r.body().string().contains("sessionStorage.setItem"), "the token is kept in session storage");
        }
        try (Response r = get("/ui/assets/console.css")) {
            assertTrue(r.header("Content-Type").startsWith("text/css"));
        }
        try (Response r = get("/v1/catalog/datasets")) {
            assertEquals(401, r.code(), "serving the console opened no door to the API");
        }
    }

    @Test
    void unknownAssetsAndPathsOutsideTheConsoleFolderAre404WithTheRouteNotFoundCode() throws IOException {
        for (String path : List.of("/ui/assets/nope.js", "/ui/assets/app.exe", "/ui/assets/App.js", "/ui/a/b/c/d", "/ui/Sql")) {
            try (Response r = get(path)) {
                assertEquals(404, r.code(), path);
                JsonNode body = Json.MAPPER.readTree(r.body().string());
                assertEquals("route_not_found", body.get("code").asText(), path);
            }
        }
        // the jar's other resources (service.properties holds "name=gateway") are out of reach by any spelling
        for (String path : List.of("/ui/assets/..%2Fservice.properties", "/ui/assets/%2e%2e/%2e%2e/service.properties",
                "/ui/..%2F..%2Fservice.properties", "/ui/assets/..%5Cservice.properties", "/ui/assets/%2e%2e%2f..%2fservice.properties")) {
            try (Response r = get(path)) {
                assertTrue(r.code() == 400 || r.code() == 404, path + " -> " + r.code());
                assertTrue(!r.body().string().contains("name=gateway"), path);
            }
        }
    }
}
