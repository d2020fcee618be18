package dev.lakehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.routes.Mount;
import dev.lakehouse.common.routes.Routes;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is valid OpenAPI 3.1, documents every public route of {@code Routes} and nothing else. */
class OpenApiDocumentTest {
    static final String YAML = new String(OpenApiDocument.yaml(), StandardCharsets.UTF_8);

    /**
     * The public paths the gateway routes, derived from {@link Routes}: each nested class's upstream paths under
     * the mount of its service whose upstream prefix they extend (the longest), plus the gateway's own routes.
     */
    /** Upstream prefixes of a mount that are not themselves a route (ingestd serves only /ingest/{dataset}). */
    static final Set<String> NOT_ROUTES = Set.of(Routes.Ingest.BASE, Routes.Iceberg.BASE);

    static Set<String> routedPublicPaths() throws IllegalAccessException {
        Set<String> out = new TreeSet<>(Set.of(Routes.GATEWAY_HEALTH, Routes.GATEWAY_METRICS, Routes.OPENAPI_JSON, Routes.OPENAPI_YAML));
        for (Class<?> group : Routes.class.getDeclaredClasses()) {
            Map<String, String> constants = new HashMap<>();
            for (Field f : group.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                    constants.put(f.getName(), (String) f.get(null));
                }
            }
            List<Mount> mounts = new ArrayList<>();
            constants.forEach((name, value) -> {
                if (name.endsWith("PUBLIC")) {
                    Routes.MOUNTS.stream().filter(m -> m.publicPrefix().equals(value)).forEach(mounts::add);
                }
            });
            assertTrue(!mounts.isEmpty(), group.getSimpleName() + " has no mount");
            constants.forEach((name, upstream) -> {
                if (name.endsWith("PUBLIC") || NOT_ROUTES.contains(upstream)) {
                    return;
                }
                Mount m = mounts.stream().filter(x -> upstream.startsWith(x.upstreamPrefix()))
                        .max((a, b) -> a.upstreamPrefix().length() - b.upstreamPrefix().length())
                        .orElseThrow(() -> new AssertionError(group.getSimpleName() + "." + name + " is under no mount"));
                if (upstream.equals(m.upstreamPrefix()) && !upstream.isEmpty()) {
                    out.add(m.publicPrefix());
                } else {
                    out.add(m.publicPrefix() + upstream.substring(m.upstreamPrefix().length()));
                }
            });
        }
        Set<String> openApiStyle = new TreeSet<>();
        out.forEach(p -> openApiStyle.add(p.replaceAll("<([a-z]+)>", "{$1}")));
        return openApiStyle;
    }

    @Test
    void theDocumentIsValidOpenApi31() {
        SwaggerParseResult r = new OpenAPIV3Parser().readContents(YAML, null, null);
        assertEquals(List.of(), r.getMessages() == null ? List.of() : r.getMessages(), "swagger-parser's findings");
        assertEquals("3.1.0", r.getOpenAPI().getOpenapi());
    }

    @Test
    void everyRoutedPathIsDocumentedAndEveryDocumentedPathIsRouted() throws Exception {
        Set<String> documented = new TreeSet<>(new OpenAPIV3Parser().readContents(YAML, null, null).getOpenAPI().getPaths().keySet());
        Set<String> routed = routedPublicPaths();
        assertTrue(routed.contains("/v1/storage/objects/{key}") && routed.contains("/v1/embeddings"), routed.toString());
        Set<String> missing = new TreeSet<>(routed);
        missing.removeAll(documented);
        Set<String> notRouted = new TreeSet<>(documented);
        notRouted.removeAll(routed);
        assertEquals(Set.of(), missing, "routes in Routes missing from openapi.yaml");
        assertEquals(Set.of(), notRouted, "paths in openapi.yaml that Routes does not route");
    }

    @Test
    void everyStableErrorCodeIsDocumented() throws Exception {
        for (Field f : ErrorCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String code = (String) f.get(null);
                assertTrue(java.util.regex.Pattern.compile("[\\[ ]" + code + "[,\\]]").matcher(YAML).find(),
                        "error code " + code + " not in openapi.yaml");
            }
        }
    }

    @Test
    void theGatewayServesTheDocumentAsJsonAndYamlWithoutTheToken() throws IOException {
        Map<String, String> cfg = new HashMap<>(Map.of("gateway.port", "0", "http.shutdown_hook", "false", "token", "s3cret"));
        try (ServiceApp gw = GatewayMain.start(TestGateways.config(cfg))) {
            OkHttpClient http = new OkHttpClient();
            try (Response r = http.newCall(new Request.Builder().url(gw.baseUrl() + Routes.OPENAPI_JSON).build()).execute()) {
                assertEquals(200, r.code());
                JsonNode doc = Json.MAPPER.readTree(r.body().bytes());
                assertEquals("3.1.0", doc.get("openapi").asText());
                assertTrue(doc.get("paths").has("/v1/sql"));
            }
            try (Response r = http.newCall(new Request.Builder().url(gw.baseUrl() + Routes.OPENAPI_YAML).build()).execute()) {
                assertEquals(200, r.code());
                assertEquals(YAML, r.body().string());
            }
            try (Response r = http.newCall(new Request.Builder().url(gw.baseUrl() + "/v1/sql").post(okhttp3.RequestBody.create(new byte[0])).build()).execute()) {
                assertEquals(401, r.code(), "the API itself still needs the token");
            }
        }
    }
}
