package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.testkit.S3Extension;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** No answer is cut silently, every value reads as DuckDB means it, and no query can take queryd's memory. */
class CompleteAnswersTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final Lake LAKE = new Lake(S3);

    static final List<ColumnSpec> EVENTS = List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("k", "BIGINT"));
    static final ObjectMapper EXACT = Json.MAPPER.copy().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    static ServiceApp queryd;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        // small Arrow batches, so an export of a few thousand rows spans several
        queryd = LAKE.queryd(Map.of("queryd.row_limit", "1000", "queryd.arrow_batch_rows", "4096"));
        url = queryd.baseUrl() + "/sql";
        LAKE.register("events", EVENTS, List.of(
                LAKE.parquet("events", "SELECT range AS id, range % 7 AS k FROM range(0, 2500)"),
                LAKE.parquet("events", "SELECT range AS id, range % 7 AS k FROM range(2500, 5000)")));
    }

    @Test
    void aJsonAnswerLongerThanAPageSaysSoAndItsCursorsWalkTheWholeResultOfOneSnapshot() throws Exception {
        LAKE.register("paged", EVENTS, List.of(LAKE.parquet("paged", "SELECT range AS id, range % 7 AS k FROM range(4500)")));
        String sql = "SELECT id, k FROM paged"; // unordered: pages must still split one result
        Http.Reply first = Http.sql(url, sql);
        assertEquals(200, first.code(), first.text());
        assertEquals("1000", first.header("X-Lakehouse-Row-Limit"));
        JsonNode page = first.json();
        assertTrue(page.get("truncated").asBoolean());
        assertEquals(1000, page.get("row_count").asInt());
        JsonNode versions = page.get("versions");

        // a new version lands between pages: the pages go on reading the snapshot the first one came from
        LAKE.register("paged", EVENTS, List.of(LAKE.parquet("paged", "SELECT range AS id, 0::BIGINT AS k FROM range(3)")));
        List<Long> ids = new ArrayList<>();
        int pages = 1;
        while (true) {
            page.get("rows").forEach(r -> ids.add(r.get(0).asLong()));
            assertEquals(versions, page.get("versions"), "every page from the same dataset versions");
            if (!page.has("next")) {
                assertFalse(page.get("truncated").asBoolean());
                break;
            }
            Http.Reply next = Http.post(url, Json.write(Map.of("sql", sql, "cursor", page.get("next").asText())),
                    "application/json", null);
            assertEquals(200, next.code(), next.text());
            page = next.json();
            pages++;
        }
        assertEquals(5, pages);
        assertEquals(4500, ids.size());
        assertEquals(4500, ids.stream().distinct().count(), "no row twice, none missing");
        assertEquals(4499L * 4500 / 2, ids.stream().mapToLong(Long::longValue).sum());
        assertEquals(3, Http.sql(url, "SELECT count(*) FROM paged").json().at("/rows/0/0").asInt(),
                "without a cursor, the latest version");

        Http.Reply exact = Http.sql(url + "?limit=7", "SELECT id FROM events ORDER BY id");
        assertEquals(7, exact.json().get("row_count").asInt(), "an explicit limit is the page size, honoured exactly");
        assertEquals(6, exact.json().at("/rows/6/0").asInt());
        Http.Reply all = Http.sql(url + "?limit=5000", "SELECT id FROM events");
        assertFalse(all.json().get("truncated").asBoolean(), "a page that holds the whole result says so");
        assertFalse(all.json().has("next"));
    }

    @Test
    void aCursorIsRefusedWhenMalformedOrForeignAndIsGoneWithItsSnapshot() throws Exception {
        Http.Reply bad = Http.post(url, Json.write(Map.of("sql", "SELECT 1", "cursor", "not a cursor!")), "application/json", null);
        assertEquals(400, bad.code(), bad.text());
        assertEquals("bad_cursor", bad.json().get("code").asText());
        String junk = Base64.getUrlEncoder().encodeToString("{\"v\":99}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, Http.post(url + "?cursor=" + junk, "SELECT 1", "text/plain", null).code());

        String next = Http.sql(url + "?limit=10", "SELECT id FROM events").json().get("next").asText();
        Http.Reply foreign = Http.post(url, Json.write(Map.of("sql", "SELECT k FROM events", "cursor", next)),
                "application/json", null);
        assertEquals(400, foreign.code(), foreign.text());
        assertEquals("cursor_mismatch", foreign.json().get("code").asText());

        LAKE.register("fleeting", EVENTS, List.of(LAKE.parquet("fleeting", "SELECT range AS id, 1::BIGINT AS k FROM range(5)")));
        String cursor = Http.sql(url + "?limit=2", "SELECT id FROM fleeting").json().get("next").asText();
        LAKE.catalog.delete("fleeting");
        Http.Reply gone = Http.post(url, Json.write(Map.of("sql", "SELECT id FROM fleeting", "cursor", cursor)),
                "application/json", null);
        assertEquals(410, gone.code(), gone.text());
        assertEquals("snapshot_gone", gone.json().get("code").asText());
    }

    @Test
    void csvAndArrowExportsHoldEveryRowUnlessALimitIsAsked() throws Exception {
        Http.Reply csv = Http.post(url, "SELECT id, k FROM events", "text/plain", "text/csv");
        assertEquals(200, csv.code(), csv.text());
        String[] lines = csv.text().split("\n");
        assertEquals(5001, lines.length, "header + every row, past the JSON page size of 1000");
        assertNull(csv.header("X-Lakehouse-Row-Limit"), "no limit was applied, none is claimed");
        assertEquals(4999L * 5000 / 2, java.util.Arrays.stream(lines).skip(1).mapToLong(l -> Long.parseLong(l.split(",")[0])).sum());

        Http.Reply arrow = Http.post(url, "SELECT id, k FROM events", "text/plain", "application/vnd.apache.arrow.stream");
        assertEquals(200, arrow.code(), arrow.text());
        long rows = 0;
        try (RootAllocator alloc = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(arrow.body()), alloc)) {
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
        }
        assertEquals(5000, rows);
        assertNull(arrow.header("X-Lakehouse-Row-Limit"));

        Http.Reply semicolon = Http.post(url + "?format=csv", "SELECT 1 AS a, 2 AS a;", "text/plain", null);
        assertEquals(200, semicolon.code(), semicolon.text());
        assertEquals("a,a_1\n1,2\n", semicolon.text(), "a trailing ; and a repeated name export too");
        Http.Reply limited = Http.post(url + "?limit=4321&format=csv", "SELECT id FROM events", "text/plain", null);
        assertEquals(4322, limited.text().split("\n").length, "header + exactly the rows asked for");
        assertEquals("4321", limited.header("X-Lakehouse-Row-Limit"));
    }

    /** The values of the dataset {@code mixed}: ids {@code from .. to-1}, one column of each common type. */
    static String mixed(int from, int to) {
        return "SELECT range AS id, ['paris', 'lyon', NULL, 'élan ✓', 'nice'][range % 5 + 1] AS city,"
                + " ((hash(range) % 100000)::BIGINT / 7.0)::DOUBLE AS amount, (range * 1.001)::DECIMAL(18,3) AS price,"
                + " DATE '2020-01-01' + (range % 1500)::INTEGER AS day, TIMESTAMP '2001-01-01 00:00:00.5' + to_seconds(range) AS ts,"
                + " range % 3 = 0 AS flag FROM range(" + from + ", " + to + ")";
    }

    static final List<ColumnSpec> MIXED = List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("city", "VARCHAR"),
            new ColumnSpec("amount", "DOUBLE"), new ColumnSpec("price", "DECIMAL(18,3)"), new ColumnSpec("day", "DATE"),
            new ColumnSpec("ts", "TIMESTAMP"), new ColumnSpec("flag", "BOOLEAN"));

    @Test
    void anArrowExportReadByArrowsOwnReaderHoldsEveryValueOfDuckDbsOwnCopy() throws Exception {
        LAKE.register("mixed", MIXED, List.of(LAKE.parquet("mixed", mixed(0, 10_000)), LAKE.parquet("mixed", mixed(10_000, 20_000))));
        assertArrowHoldsEveryValueOfCopy(url, "mixed", 20_000);
    }

    @Test
    void anArrowExportOfBatchesLargerThanEveryBufferHoldsEveryValueOfDuckDbsOwnCopy() throws Exception {
        // queryd's own batch size (65,536 rows): past the first 256 KiB, gathered, each column buffer of a batch
        // (512 KiB of ids, 1 MiB of prices) goes to Jetty as it is, off-heap (ADR 0042, session 11)
        LAKE.register("mixed_big", MIXED, List.of(LAKE.parquet("mixed_big", mixed(0, 100_000)),
                LAKE.parquet("mixed_big", mixed(100_000, 200_000))));
        ServiceApp plain = LAKE.queryd(Map.of());
        assertArrowHoldsEveryValueOfCopy(plain.baseUrl() + "/sql", "mixed_big", 200_000);
    }

    private static void assertArrowHoldsEveryValueOfCopy(String url, String dataset, int rows) throws Exception {
        Http.Reply arrow = Http.post(url, "SELECT * FROM " + dataset + " ORDER BY id", "text/plain", "application/vnd.apache.arrow.stream");
        assertEquals(200, arrow.code(), arrow.text());

        // Arrow Java's reader, not DuckDB, decodes the stream; each value in one canonical text per type
        List<String> got = new ArrayList<>();
        int batches = 0;
        try (RootAllocator alloc = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(arrow.body()), alloc)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                batches++;
                for (int i = 0; i < root.getRowCount(); i++) {
                    Object city = root.getVector("city").getObject(i);
                    got.add(String.join("|", root.getVector("id").getObject(i).toString(), city == null ? "NULL" : city.toString(),
                            Double.toString((Double) root.getVector("amount").getObject(i)),
                            ((BigDecimal) root.getVector("price").getObject(i)).toPlainString(),
                            LocalDate.ofEpochDay((Integer) root.getVector("day").getObject(i)).toString(),
                            root.getVector("ts").getObject(i).toString(), root.getVector("flag").getObject(i).toString()));
                }
            }
        }
        assertTrue(batches > 1, "the export came in several batches: " + batches);

        // DuckDB's own COPY of the same values, parsed into the same canonical text
        String csv = new String(LAKE.copy(mixed(0, rows) + " ORDER BY id", "FORMAT csv, HEADER"), StandardCharsets.UTF_8);
        List<String> want = csv.lines().skip(1).map(line -> {
            String[] f = line.split(",", -1);
            return String.join("|", f[0], f[1].isEmpty() ? "NULL" : f[1], Double.toString(Double.parseDouble(f[2])),
                    new BigDecimal(f[3]).toPlainString(), f[4], LocalDateTime.parse(f[5].replace(' ', 'T')).toString(), f[6]);
        }).toList();
        assertEquals(rows, want.size());
        assertEquals(want.size(), got.size(), "row count");
        assertEquals(sha(want), sha(got), "checksum of every value");
        assertEquals(want, got);
    }

    static String sha(List<String> rows) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        rows.forEach(r -> md.update((r + "\n").getBytes(StandardCharsets.UTF_8)));
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    /** One row of every kind of DuckDB type, with values at their edges. */
    static final String EVERY_TYPE = """
            SELECT true AS bool, (-128)::TINYINT AS tiny, 32767::SMALLINT AS small, (-2147483648)::INTEGER AS int,
              9223372036854775807::BIGINT AS big, 170141183460469231731687303715884105727::HUGEINT AS huge,
              18446744073709551615::UBIGINT AS ubig, 340282366920938463463374607431768211455::UHUGEINT AS uhuge,
              255::UTINYINT AS utiny, 1.5::FLOAT AS float, 0.1::DOUBLE AS double, 1e300::DOUBLE AS bigdouble,
              12345678901234.567::DECIMAL(18,3) AS dec18, 0.1234567890123456789012345678901234567::DECIMAL(38,37) AS dec38,
              'quote " comma , newline \n unicode é ✓' AS text, DATE '2001-01-01' AS date, TIME '08:30' AS time,
              TIMESTAMP '2001-01-01 00:01:00' AS ts, TIMESTAMP '2001-01-01 00:01:00.123456' AS ts_us,
              TIMESTAMP_NS '2001-01-01 00:01:00.123456789' AS ts_ns, TIMESTAMP_MS '2001-01-01 00:01:00.123' AS ts_ms,
              TIMESTAMPTZ '2001-01-01 00:01:02+02' AS tstz, TIMETZ '08:30:00+02' AS timetz, INTERVAL 3 DAY + INTERVAL 2 HOUR AS iv,
              '0b3c4a9e-5b4f-4f8a-9b1a-0e7c2b1d3f4a'::UUID AS uuid, [1, 2, NULL] AS list, ['a', 'b'] AS strings,
              {'a': 1, 'b': 'x', 'c': [1.5]} AS struct, MAP {'k': 1, 'j': 2} AS map, [{'x': 1}, {'x': 2}] AS list_of_struct,
              [1, 2]::INTEGER[2] AS array, 'b'::ENUM('a', 'b') AS enum, '101'::BIT AS bit, '{"j": [1, {"k": null}]}'::JSON AS json,
              union_value(n := 5) AS onion, NULL::INTEGER AS null_int, NULL AS null_any, 'infinity'::DATE AS date_inf
            """;

    @Test
    void everyTypeReadsInJsonAsDuckDbsOwnJsonWriterWritesIt() throws Exception {
        Http.Reply r = Http.sql(url, EVERY_TYPE);
        assertEquals(200, r.code(), r.text());
        JsonNode answer = EXACT.readTree(r.body());
        JsonNode want = EXACT.readTree(LAKE.copy(EVERY_TYPE, "FORMAT json"));
        JsonNode columns = answer.get("columns");
        assertEquals(want.size(), columns.size());
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).get("name").asText();
            assertEquals(want.get(name), answer.at("/rows/0/" + i), name + " (" + columns.get(i).get("type").asText() + ")");
        }
        assertEquals("HUGEINT", columns.get(5).get("type").asText());
        assertTrue(answer.at("/rows/0/5").isBigInteger(), "HUGEINT exact, a JSON number");
        assertEquals("0.1234567890123456789012345678901234567", answer.at("/rows/0/13").decimalValue().toPlainString(),
                "DECIMAL exact, not through a double");

        // where DuckDB's JSON writer would not write JSON, or not portable JSON
        JsonNode edges = Http.sql(url, "SELECT 'nan'::DOUBLE AS nan, '-inf'::FLOAT AS ninf, '\\x01\\xFFab'::BLOB AS blob,"
                + " NULL::BLOB AS no_blob").json();
        assertEquals("nan", edges.at("/rows/0/0").asText());
        assertEquals("-inf", edges.at("/rows/0/1").asText());
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {1, (byte) 0xFF, 'a', 'b'}), edges.at("/rows/0/2").asText(),
                "a BLOB is base64");
        assertTrue(edges.at("/rows/0/3").isNull());
    }

    @Test
    void everyTypeReadsInCsvByteForByteAsDuckDbsOwnCsvWriterWritesIt() throws Exception {
        String sql = EVERY_TYPE.replace("SELECT ", "SELECT range AS n, ").strip() + ", 'nan'::DOUBLE AS nan, ''::VARCHAR AS empty"
                + " FROM range(3) ORDER BY n";
        Http.Reply r = Http.post(url, sql, "text/plain", "text/csv");
        assertEquals(200, r.code(), r.text());
        assertEquals(new String(LAKE.copy(sql, "FORMAT csv, HEADER"), StandardCharsets.UTF_8), r.text());
    }

    @Test
    void aQueryOfHugeValuesFailsWithATypedErrorAndQuerydKeepsServing() throws Exception {
        ServiceApp small = LAKE.queryd(Map.of("queryd.result_query_max_bytes", "16777216",
                "queryd.result_max_bytes", "67108864"));
        String u = small.baseUrl() + "/sql";
        for (String accept : new String[] {null, "application/vnd.apache.arrow.stream"}) {
            Http.Reply r = Http.post(u, "SELECT repeat('x', 1000000) AS s FROM range(2000)", "text/plain", accept);
            assertTrue(r.code() == 413 || r.code() == 507, accept + ": " + r.code() + " " + r.text());
            String code = r.json().get("code").asText();
            assertTrue(code.equals("result_too_large") || code.equals("engine_memory_exhausted"), r.text());
        }
        // DuckDB's COPY writes a CSV export into a pipe queryd reads (ADR 0042): no result batch, so no budget to pass
        okhttp3.Request huge = new okhttp3.Request.Builder().url(u).header("Accept", "text/csv")
                .post(okhttp3.RequestBody.create("SELECT repeat('x', 1000000) AS s FROM range(40)",
                        okhttp3.MediaType.get("text/plain"))).build();
        try (okhttp3.Response r = Lake.HTTP.newCall(huge).execute()) {
            assertEquals(200, r.code());
            long bytes = 0;
            try (java.io.InputStream in = r.body().byteStream()) {
                for (long n; (n = in.skip(1 << 20)) > 0;) {
                    bytes += n;
                }
            }
            assertEquals("s\n".length() + 40L * 1_000_001, bytes, "every value, past the per-query result memory");
        }
        Map<String, Object> fits = new HashMap<>(Map.of("sql", "SELECT repeat('x', 100000) AS s FROM range(50)"));
        Http.Reply ok = Http.post(u, Json.write(fits), "application/json", "text/csv");
        assertEquals(200, ok.code(), ok.text());
        assertEquals(51, ok.text().split("\n").length);
        // released when the answer's resources close, just after its last byte left; a batch whose import failed
        // over the budget leaves a few hundred bytes of Arrow's C-data structs accounted (Arrow 19)
        Thread.sleep(200);
        assertTrue(QuerydTest.health(small).at("/result_memory/allocated_bytes").asLong() <= 3 * 1024,
                QuerydTest.health(small).toString());
    }
}
