package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.vectord.VectordMain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code vector_search()} in SQL: real queryd, vectord, catalogd and storaged on the embedded S3. */
class VectorSearchSqlTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final Lake LAKE = new Lake(S3);
    static final String[] CITIES = {"Austin", "Dallas", "Houston", "Boston"};
    static final int N = 2000;

    static ServiceApp vectord;
    static String url;
    static float[][] vectors = new float[N][];

    @BeforeAll
    static void start() throws Exception {
        vectord = LAKE.fleet.start(dev.lakehouse.common.config.Service.VECTORD, VectordMain::start, Map.of(
                "vectord.tmp_dir", S3.tempDir().resolve("vectord-tmp").toString()));
        url = LAKE.queryd(Map.of("vectord.url", vectord.baseUrl())).baseUrl() + "/sql";
        LAKE.register("candidates", List.of(new ColumnSpec("id", "VARCHAR"), new ColumnSpec("name", "VARCHAR"),
                new ColumnSpec("city", "VARCHAR"), new ColumnSpec("rate", "BIGINT")),
                List.of(LAKE.parquet("candidates", "SELECT 'c' || range AS id, 'name ' || range AS name,"
                        + " ['Austin','Dallas','Houston','Boston'][range % 4 + 1] AS city, (50 + range % 60)::BIGINT AS rate"
                        + " FROM range(" + N + ")")));
        Random rnd = new Random(7);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            vectors[i] = new float[] {rnd.nextFloat() - 0.5f, rnd.nextFloat() - 0.5f, rnd.nextFloat() - 0.5f, rnd.nextFloat() - 0.5f};
            items.add(Map.of("id", "c" + i, "vector", vectors[i], "metadata", Map.of("city", CITIES[i % 4], "rate", 50 + i % 60)));
        }
        post(vectord.baseUrl() + "/index", Map.of("name", "cands", "dim", 4));
        post(vectord.baseUrl() + "/index/cands/add", Map.of("items", items));
    }

    static JsonNode post(String to, Object body) {
        Http.Reply r = Http.post(to, Json.write(body), "application/json", null);
        assertTrue(r.code() < 300, () -> to + " " + r.code() + " " + r.text());
        return r.json();
    }

    static String literal(float[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(v[i]);
        }
        return b.append("]").toString();
    }

    @Test
    void theAnalystsQuestionIsOneStatementJoiningTheFilteredTopKBackToTheDataset() {
        String sql = "SELECT c.name, c.city, c.rate, s.id, s.score, s.rank FROM vector_search('cands', " + literal(vectors[5])
                + ", k => 10, filter => 'city = ''Austin'' AND rate < 80') s JOIN candidates c ON c.id = s.id ORDER BY s.score DESC";
        Http.Reply r = Http.sql(url, sql);
        assertEquals(200, r.code(), r::text);
        JsonNode rows = r.json().get("rows");
        assertEquals(10, rows.size());
        // the same as vectord's own filtered search: the true top 10 among the matches
        JsonNode direct = post(vectord.baseUrl() + "/index/cands/search", Map.of("vector", vectors[5], "k", 10,
                "filter", Map.of("and", List.of(Map.of("eq", Map.of("city", "Austin")), Map.of("range", Map.of("rate", Map.of("lt", 80))))))).get("hits");
        for (int i = 0; i < 10; i++) {
            JsonNode row = rows.get(i);
            assertEquals("Austin", row.get(1).asText());
            assertTrue(row.get(2).asInt() < 80);
            assertEquals(direct.get(i).get("id").asText(), row.get(3).asText());
            assertEquals(i + 1, row.get(5).asInt());
        }
    }

    @Test
    void metadataIsJsonAndTheTableWorksInCtesAndAggregates() {
        Http.Reply r = Http.sql(url, "WITH top AS (SELECT * FROM vector_search('cands', " + literal(vectors[9])
                + ", k => 40)) SELECT metadata->>'city' AS city, count(*) FROM top GROUP BY ALL ORDER BY city");
        assertEquals(200, r.code(), r::text);
        int total = 0;
        for (JsonNode row : r.json().get("rows")) {
            total += row.get(1).asInt();
        }
        assertEquals(40, total);
        Http.Reply none = Http.sql(url, "SELECT count(*) FROM vector_search('cands', " + literal(vectors[9])
                + ", filter => 'city = ''Paris''')");
        assertEquals(200, none.code(), none::text);
        assertEquals(0, none.json().at("/rows/0/0").asInt(), "no match is an empty table, not an error");
    }

    @Test
    void aMissingIndexIsA404AndABadFilterA400NamingIt() {
        Http.Reply missing = Http.sql(url, "SELECT * FROM vector_search('nope', [1, 0, 0, 0])");
        assertEquals(404, missing.code(), missing::text);
        assertEquals("index_not_found", missing.json().get("code").asText());
        assertTrue(missing.json().get("error").asText().contains("vector_search"), missing.text());
        Http.Reply filter = Http.sql(url, "SELECT * FROM vector_search('cands', [1, 0, 0, 0], filter => 'city LIKE ''A%''')");
        assertEquals(400, filter.code(), filter::text);
        assertEquals("bad_filter", filter.json().get("code").asText());
        assertEquals("LIKE", filter.json().get("operator").asText());
        Http.Reply notLiteral = Http.sql(url, "SELECT * FROM vector_search('cands', [1, 0, 0, 0], k => (SELECT 3))");
        assertEquals(400, notLiteral.code(), notLiteral::text);
        assertEquals("bad_vector_search", notLiteral.json().get("code").asText());
    }

    @Test
    void theLockDownStillHolds() {
        Http.Reply r = Http.sql(url, "SELECT * FROM vector_search('cands', [1, 0, 0, 0]) s, read_parquet('/etc/passwd') p");
        assertEquals(403, r.code(), r::text);
        assertEquals("sql_sandbox", r.json().get("code").asText());
    }
}
