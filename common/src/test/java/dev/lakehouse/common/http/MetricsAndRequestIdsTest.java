package dev.lakehouse.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.client.HttpClients;
import dev.lakehouse.common.config.SecretsFile;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.json.Json;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAndRequestIdsTest {
    static final FleetCredential CREDENTIAL = FleetCredential.generate();
    static final OkHttpClient http = CREDENTIAL.signing(new OkHttpClient());
    @TempDir
    static Path dir;
    static final AtomicInteger things = new AtomicInteger(7);
    static ServiceApp inner;
    static ServiceApp outer;

    @BeforeAll
    static void start() {
        Path secrets = dir.resolve("secrets.toml");
        SecretsFile.write(secrets, CREDENTIAL.toToml());
        Config cfg = Config.of(Map.of("http.shutdown_hook", "false", "secrets_file", secrets.toString()));
        inner = ServiceApp.builder(Service.STORAGED, cfg).port(0)
                .routes(r -> r.get("/echo-id", ctx -> ctx.result(String.valueOf(ctx.header(RequestIds.HEADER)))))
                .start();
        outer = ServiceApp.builder(Service.CATALOGD, cfg).port(0)
                .metrics(m -> Gauge.builder("catalogd_things", things, AtomicInteger::get).register(m))
                .routes(r -> {
                    r.get("/things/{name}", ctx -> ctx.result("thing " + ctx.pathParam("name")));
                    r.get("/missing/{name}", ctx -> {
                        throw new NotFound("no " + ctx.pathParam("name"));
                    });
                    r.get("/inner", ctx -> {
                        try (Response res = CREDENTIAL.signing(HttpClients.shared()).newCall(new Request.Builder().url(inner.baseUrl() + "/echo-id").build()).execute()) {
                            ctx.result(res.body().string());
                        }
                    });
                })
                .start();
    }

    @AfterAll
    static void stop() {
        outer.close();
        inner.close();
    }

    static Response get(String url, String requestId) throws IOException {
        Request.Builder b = new Request.Builder().url(url);
        if (requestId != null) {
            b.header(RequestIds.HEADER, requestId);
        }
        return http.newCall(b.build()).execute();
    }

    /** A strict reading of the Prometheus text format: every line a comment (# HELP/# TYPE) or `name{labels} value`. */
    static Map<String, Double> parse(String text) {
        Pattern sample = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)");
        Pattern comment = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.equals("# EOF")) {
                continue;
            }
            if (line.startsWith("#")) {
                assertTrue(comment.matcher(line).matches(), "bad comment line: " + line);
                continue;
            }
            Matcher m = sample.matcher(line);
            assertTrue(m.matches(), "bad sample line: " + line);
            out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3).replace("+Inf", "Infinity")));
        }
        return out;
    }

    static double sum(Map<String, Double> samples, String name, String... labels) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name + "{") && List.of(labels).stream().allMatch(e.getKey()::contains))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    @Test
    void metricsCountRequestsByRouteTemplateNeverByRawPath() throws IOException {
        String before;
        try (Response r = get(outer.baseUrl() + "/metrics", null)) {
            assertEquals(200, r.code());
            assertTrue(r.header("Content-Type").startsWith("text/plain"));
            before = r.body().string();
        }
        double ok0 = sum(parse(before), "http_server_requests_seconds_count", "route=\"/things/{name}\"", "status=\"200\"");
        double missing0 = sum(parse(before), "http_server_requests_seconds_count", "route=\"/missing/{name}\"", "status=\"404\"");
        for (String n : List.of("alpha", "beta", "secret-dataset-name")) {
            get(outer.baseUrl() + "/things/" + n, null).close();
        }
        get(outer.baseUrl() + "/missing/x", null).close();
        String after;
        try (Response r = get(outer.baseUrl() + "/metrics", null)) {
            after = r.body().string();
        }
        Map<String, Double> samples = parse(after);
        assertEquals(ok0 + 3, sum(samples, "http_server_requests_seconds_count", "route=\"/things/{name}\"", "status=\"200\"", "method=\"GET\""));
        assertEquals(missing0 + 1, sum(samples, "http_server_requests_seconds_count", "route=\"/missing/{name}\"", "status=\"404\""));
        assertTrue(sum(samples, "http_server_requests_seconds_bucket", "route=\"/things/{name}\"") > 0, "latency histogram buckets");
        assertFalse(after.contains("secret-dataset-name") || after.contains("/things/alpha"), "raw paths must not become series");
        assertTrue(sum(samples, "jvm_memory_used_bytes") > 0 && sum(samples, "jvm_threads_live_threads") > 0);
        assertEquals(7, sum(samples, "catalogd_things", "service=\"catalogd\""));
    }

    @Test
    void aRequestIdIsAcceptedOrMadeReturnedInErrorsAndSentOnToInnerCalls() throws IOException {
        try (Response r = get(outer.baseUrl() + "/things/a", "trace-42")) {
            assertEquals("trace-42", r.header(RequestIds.HEADER));
        }
        String made;
        try (Response r = get(outer.baseUrl() + "/things/a", null)) {
            made = r.header(RequestIds.HEADER);
            assertNotNull(made);
            assertTrue(made.matches("[0-9a-f]{24}"), made);
        }
        try (Response r = get(outer.baseUrl() + "/things/a", "bad id; drop table")) {
            assertNotEquals("bad id; drop table", r.header(RequestIds.HEADER));
        }
        try (Response r = get(outer.baseUrl() + "/missing/x", "trace-43")) {
            JsonNode body = Json.MAPPER.readTree(r.body().string());
            assertEquals("trace-43", body.get("request_id").asText());
        }
        try (Response r = get(outer.baseUrl() + "/inner", "trace-44")) {
            assertEquals("trace-44", r.body().string(), "the inner call carried the outer request's id");
        }
    }
}
