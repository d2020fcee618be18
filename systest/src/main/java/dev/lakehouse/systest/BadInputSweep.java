package dev.lakehouse.systest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.testkit.RawHttp;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For every route of the fleet, sends malformed JSON, wrong types, huge numbers, empty bodies, oversized
 * headers, path traversal and invalid UTF-8 through the gateway. Every answer must be a 4xx with a JSON
 * error body and no stack trace; never a 5xx. Prints routes × cases and the failures (must be 0).
 *
 * <p>Usage: {@code BadInputSweep [gatewayUrl]} (default http://127.0.0.1:3110; env LAKEHOUSE_TOKEN is sent
 * as a bearer token when set).
 */
public final class BadInputSweep {
    private static final byte[] INVALID_UTF8 = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE};

    record Case(String route, String name, String method, byte[] path, String contentType, byte[] body,
                Map<String, String> headers) {}

    public static void main(String[] args) throws Exception {
        URI gw = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:3110");
        List<Case> cases = cases();
        Map<String, Integer> perRoute = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        String token = System.getenv("LAKEHOUSE_TOKEN");
        for (Case c : cases) {
            perRoute.merge(c.route(), 1, Integer::sum);
            Map<String, String> headers = new LinkedHashMap<>(c.headers());
            if (token != null && !token.isBlank()) {
                headers.put("Authorization", "Bearer " + token);
            }
            if (c.contentType() != null) {
                headers.put("Content-Type", c.contentType());
            }
            String verdict;
            try {
                RawHttp.Reply r = RawHttp.send(gw, c.method(), c.path(), headers, c.body());
                verdict = judge(r);
            } catch (Exception e) {
                verdict = "no answer: " + e;
            }
            if (verdict != null) {
                failures.add(c.route() + " [" + c.name() + "]: " + verdict);
            }
        }
        System.out.printf("bad-input sweep: %d routes x cases = %d requests%n", perRoute.size(), cases.size());
        perRoute.forEach((route, n) -> System.out.printf("  %-44s %3d cases%n", route, n));
        failures.forEach(f -> System.out.println("FAIL " + f));
        System.out.printf("sweep: %d passed, %d failed%n", cases.size() - failures.size(), failures.size());
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** Null when the reply is a proper client error; else what is wrong with it. */
    static String judge(RawHttp.Reply r) {
        if (r.status() < 400 || r.status() >= 500) {
            return "status " + r.status() + " (want 4xx): " + abbreviate(r.body());
        }
        String type = r.header("content-type");
        if (type == null || !type.contains("json")) {
            return "status " + r.status() + " not JSON (" + type + "): " + abbreviate(r.body());
        }
        String body = r.body();
        if (body.contains("\tat ") || body.contains("at dev.lakehouse") || body.matches("(?s).*\\b\\w+(\\.\\w+)+Exception\\b.*")) {
            return "stack trace or exception class in body: " + abbreviate(body);
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (!node.path("error").isTextual() || node.path("error").asText().isBlank() || node.path("status").asInt() != r.status()) {
                return "JSON lacks error/status: " + abbreviate(body);
            }
        } catch (Exception e) {
            return "body is not JSON: " + abbreviate(body);
        }
        return null;
    }

    static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    // ---- the route × case table ----

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        String json = "application/json";
        String big = "9".repeat(400);
        Map<String, String> none = Map.of();
        Map<String, String> hugeHeader = Map.of("X-Padding", "p".repeat(70_000));

        // JSON-bodied POST routes: the same family of broken bodies for each
        Map<String, String> jsonRoutes = new LinkedHashMap<>();
        jsonRoutes.put("POST /v1/catalog/datasets/{name}/manifests", "/v1/catalog/datasets/sweep_ds/manifests");
        jsonRoutes.put("POST /v1/sql", "/v1/sql");
        jsonRoutes.put("POST /v1/vectors/index", "/v1/vectors/index");
        jsonRoutes.put("POST /v1/vectors/index/{name}/add", "/v1/vectors/index/sweep_idx/add");
        jsonRoutes.put("POST /v1/vectors/index/{name}/search", "/v1/vectors/index/sweep_idx/search");
        jsonRoutes.put("POST /v1/embed", "/v1/embed");
        jsonRoutes.forEach((route, path) -> {
            cs.add(new Case(route, "malformed JSON", "POST", b(path), json, b("{\"a\": [1, 2"), none));
            cs.add(new Case(route, "empty body", "POST", b(path), json, new byte[0], none));
            cs.add(new Case(route, "JSON array instead of object", "POST", b(path), json, b("[1,2,3]"), none));
            cs.add(new Case(route, "JSON null", "POST", b(path), json, b("null"), none));
            cs.add(new Case(route, "invalid UTF-8", "POST", b(path), json, concat(b("{\"x\":\""), INVALID_UTF8, b("\"}")), none));
            cs.add(new Case(route, "oversized header", "POST", b(path), json, b("{}"), hugeHeader));
        });
        // wrong types and huge numbers, per route
        String cat = "POST /v1/catalog/datasets/{name}/manifests";
        String catPath = "/v1/catalog/datasets/sweep_ds/manifests";
        cs.add(new Case(cat, "wrong types", "POST", b(catPath), json, b("{\"schema\":\"x\",\"files\":1}"), none));
        cs.add(new Case(cat, "huge row count", "POST", b(catPath), json,
                b("{\"schema\":[{\"name\":\"a\",\"type\":\"BIGINT\"}],\"files\":[{\"key\":\"datasets/sweep_ds/x.parquet\",\"rows\":" + big + ",\"bytes\":1,\"etag\":\"e\"}]}"), none));
        cs.add(new Case(cat, "huge expected_version", "POST", b(catPath), json,
                b("{\"schema\":[{\"name\":\"a\",\"type\":\"BIGINT\"}],\"files\":[],\"expected_version\":" + big + "}"), none));
        cs.add(new Case(cat, "negative rows", "POST", b(catPath), json,
                b("{\"schema\":[{\"name\":\"a\",\"type\":\"BIGINT\"}],\"files\":[{\"key\":\"datasets/sweep_ds/x.parquet\",\"rows\":-5,\"bytes\":1,\"etag\":\"e\"}]}"), none));
        cs.add(new Case(cat, "bad column type", "POST", b(catPath), json,
                b("{\"schema\":[{\"name\":\"a\",\"type\":\"BLOB; DROP\"}],\"files\":[]}"), none));
        for (String bad : List.of("Bad-Name", "..", "%2e%2e", "a%2F..%2F..%2Fetc", "x".repeat(100), "%C3%28", "_x")) {
            cs.add(new Case(cat, "bad dataset name " + abbreviate(bad), "POST", b("/v1/catalog/datasets/" + bad + "/manifests"), json,
                    b("{\"schema\":[{\"name\":\"a\",\"type\":\"BIGINT\"}],\"files\":[]}"), none));
        }
        cs.add(new Case("GET /v1/catalog/datasets/{name}", "absent dataset", "GET", b("/v1/catalog/datasets/no_such_dataset_sweep"), null, null, none));
        cs.add(new Case("GET /v1/catalog/datasets/{name}", "invalid UTF-8 name", "GET", concat(b("/v1/catalog/datasets/"), INVALID_UTF8), null, null, none));
        cs.add(new Case("GET /v1/catalog/datasets/{name}/versions/{v}", "non-numeric version", "GET", b("/v1/catalog/datasets/sweep_ds/versions/abc"), null, null, none));
        cs.add(new Case("GET /v1/catalog/datasets/{name}/versions/{v}", "huge version", "GET", b("/v1/catalog/datasets/sweep_ds/versions/" + big), null, null, none));
        cs.add(new Case("GET /v1/catalog/datasets/{name}/versions/{v}", "negative version", "GET", b("/v1/catalog/datasets/sweep_ds/versions/-1"), null, null, none));
        cs.add(new Case("DELETE /v1/catalog/datasets/{name}", "bad name", "DELETE", b("/v1/catalog/datasets/..%2F_catalog"), null, null, none));

        String sql = "POST /v1/sql";
        for (String body : List.of("{\"sql\":123}", "{\"sql\":\"\"}", "{\"sql\":\"DROP TABLE x\"}",
                "{\"sql\":\"SELECT * FROM read_csv('/etc/passwd')\"}", "{\"sql\":\"SELECT 1; SELECT 2\"}",
                "{\"sql\":\"SELECT 1\",\"versions\":{\"x\":" + big + "}}", "{\"sql\":\"INSTALL httpfs\"}",
                "{\"sql\":\"SELECT * FROM no_such_table_sweep\"}", "{\"sql\":\"SELEC broken\"}")) {
            cs.add(new Case(sql, "body " + abbreviate(body), "POST", b("/v1/sql"), json, b(body), none));
        }
        cs.add(new Case(sql, "huge ?version", "POST", b("/v1/sql?version=" + big), json, b("{\"sql\":\"SELECT 1\"}"), none));
        cs.add(new Case(sql, "text/plain invalid UTF-8", "POST", b("/v1/sql"), "text/plain", concat(b("SELECT '"), INVALID_UTF8, b("'")), none));

        String create = "POST /v1/vectors/index";
        for (String body : List.of("{\"name\":\"sweep_idx\",\"dim\":-1}", "{\"name\":\"sweep_idx\",\"dim\":" + big + "}",
                "{\"name\":\"sweep_idx\",\"dim\":\"three\"}", "{\"name\":\"../etc\",\"dim\":3}",
                "{\"name\":\"sweep_idx\",\"dim\":3,\"distance\":\"manhattan\"}", "{\"name\":\"sweep_idx\",\"dim\":3,\"m\":-4}",
                "{\"dim\":3}", "{\"name\":\"" + "n".repeat(300) + "\",\"dim\":3}")) {
            cs.add(new Case(create, "body " + abbreviate(body), "POST", b("/v1/vectors/index"), json, b(body), none));
        }
        String add = "POST /v1/vectors/index/{name}/add";
        for (String body : List.of("{\"items\":\"x\"}", "{\"items\":[{\"id\":1,\"vector\":\"v\"}]}",
                "{\"items\":[{\"id\":\"a\",\"vector\":[1e400,0,0]}]}", "{\"items\":[{\"id\":\"a\",\"vector\":[NaN,0,0]}]}")) {
            cs.add(new Case(add, "body " + abbreviate(body), "POST", b("/v1/vectors/index/sweep_idx/add"), json, b(body), none));
        }
        cs.add(new Case(add, "absent index", "POST", b("/v1/vectors/index/no_such_index_sweep/add"), json,
                b("{\"items\":[{\"id\":\"a\",\"vector\":[1,0,0]}]}"), none));
        String search = "POST /v1/vectors/index/{name}/search";
        for (String body : List.of("{\"vector\":[1,0,0],\"k\":-1}", "{\"vector\":[1,0,0],\"k\":" + big + "}",
                "{\"vector\":\"x\"}", "{\"k\":3}")) {
            cs.add(new Case(search, "body " + abbreviate(body), "POST", b("/v1/vectors/index/sweep_idx/search"), json, b(body), none));
        }
        cs.add(new Case("GET /v1/vectors/index/{name}", "traversal name", "GET", b("/v1/vectors/index/..%2F..%2Fetc"), null, null, none));
        cs.add(new Case("GET /v1/vectors/index/{name}", "invalid UTF-8 name", "GET", concat(b("/v1/vectors/index/"), INVALID_UTF8), null, null, none));
        cs.add(new Case("DELETE /v1/vectors/index/{name}/items/{id}", "absent index", "DELETE", b("/v1/vectors/index/no_such_index_sweep/items/x"), null, null, none));

        String embed = "POST /v1/embed";
        for (String body : List.of("{\"texts\":[]}", "{\"texts\":[1,2]}", "{\"text\":123}", "{\"texts\":\"x\"}",
                "{\"text\":\"a\",\"texts\":[\"b\"]}", "{}")) {
            cs.add(new Case(embed, "body " + abbreviate(body), "POST", b("/v1/embed"), json, b(body), none));
        }
        StringBuilder many = new StringBuilder("{\"texts\":[");
        for (int i = 0; i < 5000; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        cs.add(new Case(embed, "batch too large", "POST", b("/v1/embed"), json, b(many.append("]}").toString()), none));

        String put = "PUT /v1/storage/objects/{key}";
        for (String key : List.of("..%2F..%2Fetc%2Fpasswd", "a/%2e%2e/%2e%2e/b", "%2e%2e", "/leading", "ctl%01char",
                "k".repeat(1100))) {
            cs.add(new Case(put, "key " + abbreviate(key), "PUT", b("/v1/storage/objects/" + key), "application/octet-stream", b("x"), none));
        }
        cs.add(new Case(put, "invalid UTF-8 key", "PUT", concat(b("/v1/storage/objects/"), INVALID_UTF8), "application/octet-stream", b("x"), none));
        cs.add(new Case(put, "declared length over cap", "PUT", b("/v1/storage/objects/sweep/too-big"),
                "application/octet-stream", null, Map.of("Content-Length", Long.toString((256L << 20) + 1))));
        cs.add(new Case(put, "oversized header", "PUT", b("/v1/storage/objects/sweep/h"), "application/octet-stream", b("x"), hugeHeader));
        String get = "GET /v1/storage/objects/{key}";
        cs.add(new Case(get, "absent key", "GET", b("/v1/storage/objects/sweep/absent-" + System.nanoTime()), null, null, none));
        cs.add(new Case(get, "traversal key", "GET", b("/v1/storage/objects/..%2F..%2Fetc%2Fpasswd"), null, null, none));
        cs.add(new Case(get, "unsatisfiable range", "GET", b("/v1/storage/objects/sweep/absent"), null, null, Map.of("Range", "bytes=9-2")));
        String list = "GET /v1/storage/objects";
        for (String q : List.of("limit=-1", "limit=abc", "limit=" + big, "cursor=%C3%28garbage", "prefix=%C3%28")) {
            cs.add(new Case(list, "query " + abbreviate(q), "GET", b("/v1/storage/objects?" + q), null, null, none));
        }

        String ingest = "POST /v1/ingest/{dataset}";
        for (String name : List.of("Bad-Name", "..%2F_catalog", "%C3%28")) {
            cs.add(new Case(ingest, "bad dataset " + name, "POST", b("/v1/ingest/" + name), "text/csv", b("a,b\n1,2\n"), none));
        }
        cs.add(new Case(ingest, "empty CSV", "POST", b("/v1/ingest/sweep_ingest"), "text/csv", new byte[0], none));
        cs.add(new Case(ingest, "ragged rows", "POST", b("/v1/ingest/sweep_ingest"), "text/csv", b("a,b\n1,2\n3\n"), none));
        cs.add(new Case(ingest, "bad quoting", "POST", b("/v1/ingest/sweep_ingest"), "text/csv", b("a,b\n\"1,2\n"), none));
        cs.add(new Case(ingest, "bad mode", "POST", b("/v1/ingest/sweep_ingest?mode=upsert"), "text/csv", b("a,b\n1,2\n"), none));
        cs.add(new Case(ingest, "invalid UTF-8 CSV", "POST", b("/v1/ingest/sweep_ingest"), "text/csv", concat(b("a,b\n1,"), INVALID_UTF8, b("\n")), none));
        cs.add(new Case(ingest, "oversized header", "POST", b("/v1/ingest/sweep_ingest"), "text/csv", b("a\n1\n"), hugeHeader));
        cs.add(new Case(ingest, "delimiter too long", "POST", b("/v1/ingest/sweep_ingest?delimiter=%7C%7C%7C%7C%7C"), "text/csv", b("a\n1\n"), none));
        cs.add(new Case(ingest, "bad type parameter", "POST", b("/v1/ingest/sweep_ingest?type=a:NOPE"), "text/csv", b("a\n1\n"), none));
        cs.add(new Case(ingest, "unknown Content-Encoding", "POST", b("/v1/ingest/sweep_ingest"), "text/csv", b("a\n1\n"),
                Map.of("Content-Encoding", "br")));
        cs.add(new Case(ingest, "corrupt gzip", "POST", b("/v1/ingest/sweep_ingest"), "text/csv",
                new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3}, Map.of("Content-Encoding", "gzip")));
        cs.add(new Case(ingest, "malformed NDJSON", "POST", b("/v1/ingest/sweep_ingest"), "application/x-ndjson", b("{\"a\":\n"), none));
        cs.add(new Case(ingest, "not a Parquet file", "POST", b("/v1/ingest/sweep_ingest"), "application/vnd.apache.parquet",
                b("PAR1 nope"), none));
        cs.add(new Case("POST /v1/ingest/{dataset}/compact", "bad dataset", "POST", b("/v1/ingest/Bad-Name/compact"), null, null, none));
        return cs;
    }
}
