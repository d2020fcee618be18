package dev.lakehouse.ingestd;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.INGESTD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bodies people have, through the real fleet (in-process): real-world shaped CSVs, each compared column by
 * column (types) and row by row with DuckDB's own read_csv given the same options; compressed bodies.
 */
class IngestFormatsTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();

    static final OkHttpClient http = S3Extension.signing(new OkHttpClient());
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start).with(CATALOGD, CatalogdMain::start)
            .with(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "2"));
    static ServiceApp catalogd;
    static ServiceApp ingestd;
    /** One with a 16 MiB cap, for compressed bodies that inflate past it. */
    static ServiceApp capped;
    static StorageClient storage;

    @BeforeAll
    static void start() {
        catalogd = FLEET.app(CATALOGD);
        ingestd = FLEET.app(INGESTD);
        capped = FLEET.another(INGESTD, IngestdMain::start, Map.of("ingestd.duckdb_threads", "2",
                "ingestd.spool_dir", S3.tempDir().resolve("capped-spool").toString(), "ingestd.max_csv_bytes", Long.toString(16L << 20)));
        storage = FLEET.storage();
    }

    record Answer(int status, JsonNode body) {}

    static Answer post(String dataset, String query, byte[] body) throws IOException {
        return post(ingestd, dataset, query, body, "text/csv", null);
    }

    static Answer post(ServiceApp app, String dataset, String query, byte[] body, String type, String encoding)
            throws IOException {
        String url = app.baseUrl() + "/ingest/" + dataset + (query.isEmpty() ? "" : "?" + query);
        Request.Builder rb = new Request.Builder().url(url).post(RequestBody.create(body, MediaType.get(type)));
        if (encoding != null) {
            rb.header("Content-Encoding", encoding);
        }
        try (Response r = http.newCall(rb.build()).execute()) {
            return new Answer(r.code(), Json.MAPPER.readTree(r.body().string()));
        }
    }

    /**
     * Ingests {@code csv} with {@code query} and checks the stored Parquet against {@code read_csv(file, readCsvOptions)}:
     * same column names and DuckDB types, same rows. Returns the stored types.
     */
    static List<String> sameAsDuckDb(String dataset, String csv, String query, String readCsvOptions) throws Exception {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        Answer a = post(dataset, query, bytes);
        assertEquals(201, a.status(), a.body().toString());
        Path src = S3.tempDir().resolve(dataset + ".csv");
        Files.write(src, bytes);
        Path stored = S3.tempDir().resolve(dataset + ".parquet");
        Files.write(stored, storage.getBytes(a.body().get("files").get(0).get("key").asText()));
        String ours = "read_parquet('" + stored + "')";
        String theirs = "read_csv('" + src + "'" + (readCsvOptions.isEmpty() ? "" : ", " + readCsvOptions) + ")";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            List<String> ourCols = describe(s, ours);
            assertEquals(describe(s, theirs), ourCols, dataset + ": columns and types");
            for (String[] pair : new String[][] {{ours, theirs}, {theirs, ours}}) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM (SELECT * FROM " + pair[0]
                        + " EXCEPT ALL SELECT * FROM " + pair[1] + ")")) {
                    r.next();
                    assertEquals(0, r.getLong(1), dataset + ": rows of " + pair[0] + " missing from " + pair[1]);
                }
            }
            try (ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM " + ours + ") = (SELECT count(*) FROM " + theirs + ")")) {
                r.next();
                assertTrue(r.getBoolean(1), dataset + ": row count");
            }
            assertEquals(ourCols.size(), a.body().get("schema").size());
            List<String> types = new ArrayList<>();
            for (int i = 0; i < ourCols.size(); i++) {
                String catalogType = a.body().get("schema").get(i).get("type").asText();
                assertEquals(ourCols.get(i).substring(ourCols.get(i).indexOf(' ') + 1), catalogType,
                        dataset + ": the catalog's type is the file's");
                types.add(catalogType);
            }
            return types;
        }
    }

    static List<String> describe(Statement s, String relation) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
            while (r.next()) {
                out.add(r.getString("column_name") + " " + r.getString("column_type"));
            }
        }
        return out;
    }

    @Test
    void aTsvIsSniffedIntoTypedColumnsAndItsDialectReported() throws Exception {
        String tsv = "id\trate\n1\t2.5\n2\t3.25\n";
        assertEquals(List.of("BIGINT", "DOUBLE"), sameAsDuckDb("tsv", tsv, "", ""));
        assertEquals("\t", post("tsv2", "", tsv.getBytes(StandardCharsets.UTF_8)).body().get("dialect").get("delimiter").asText());
        Map<String, Object> source = new dev.lakehouse.common.client.CatalogClient(catalogd.baseUrl(), S3.credential()).latest("tsv2")
                .orElseThrow().files().get(0).source();
        assertEquals("csv", source.get("format"), "the manifest keeps how the file was read");
        assertEquals("\t", ((Map<?, ?>) source.get("dialect")).get("delimiter"));
    }

    @Test
    void semicolonsWithDecimalCommasPipesAndQuotedNewlinesReadAsDuckDbReadsThem() throws Exception {
        assertEquals(List.of("BIGINT", "DOUBLE", "VARCHAR"), sameAsDuckDb("semi",
                "id;amount;name\n1;2,5;ann\n2;10,25;\"b;ob\"\n", "decimal_separator=,", "decimal_separator=','"));
        assertEquals(List.of("VARCHAR", "BIGINT"), sameAsDuckDb("pipe", "k|v\na|1\nb|2\n", "", ""));
        assertEquals(List.of("BIGINT", "VARCHAR"), sameAsDuckDb("multiline",
                "id,txt\n1,\"first line\nsecond, line\"\n2,\"say \"\"hi\"\"\"\n", "", ""));
    }

    @Test
    void aBomAndCrlfLineEndsAreTolerated() throws Exception {
        assertEquals(List.of("BIGINT", "VARCHAR"), sameAsDuckDb("bomcrlf", "\uFEFFid,name\r\n1,a\r\n2,b\r\n", "", ""));
    }

    @Test
    void raggedRowsAre400NamingTheLineUnlessNullPaddingIsAsked() throws Exception {
        // rows shorter than the header, as in distro-info-data's debian.csv
        String ragged = "version,codename,series,created,release,eol\n"
                + "1.1,Buzz,buzz,1993-08-16,1996-06-17,1997-06-05\n"
                + "14,Forky,forky,2025-08-09\n";
        Answer refused = post("ragged", "", ragged.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, refused.status(), refused.body().toString());
        assertTrue(refused.body().get("error").asText().startsWith("line 3:"), refused.body().toString());
        assertEquals(List.of("DOUBLE", "VARCHAR", "VARCHAR", "DATE", "DATE", "DATE"),
                sameAsDuckDb("ragged", ragged, "null_padding=true", "null_padding=true"));
        // a real one-column file whose values hold commas inside quotes is not refused
        assertEquals(List.of("VARCHAR"), sameAsDuckDb("onecol", "\"a,b\"\n\"1,2\"\n\"3,4\"\n", "", ""));
    }

    @Test
    void isoTimestampsWithOffsetsAndTimesKeepTheirTypes() throws Exception {
        String csv = "at,local,t\n2024-01-01T10:00:00Z,2024-01-01 10:00:00,10:11:12\n"
                + "2024-01-02T11:00:00+01:00,2024-01-02 00:00:01,23:59:59.5\n";
        assertEquals(List.of("TIMESTAMP WITH TIME ZONE", "TIMESTAMP", "TIME"), sameAsDuckDb("times", csv, "", ""));
    }

    @Test
    void declaredDecimalAndUuidColumnsAreKept() throws Exception {
        String csv = "amount,u\n12.34,550e8400-e29b-41d4-a716-446655440000\n-0.01,550e8400-e29b-41d4-a716-446655440001\n";
        assertEquals(List.of("DECIMAL(10,2)", "UUID"), sameAsDuckDb("declared", csv,
                "type=amount:DECIMAL(10,2)&type=u:UUID", "types={'amount': 'DECIMAL(10,2)', 'u': 'UUID'}"));
    }

    @Test
    void twentyDigitIntegersBecomeDecimal38NeverARoundedDouble() throws Exception {
        String csv = "id,n\n12345678901234567891,1\n12345678901234567892,2\n";
        assertEquals(List.of("DECIMAL(38,0)", "BIGINT"), sameAsDuckDb("bigids", csv, "", "types={'id': 'DECIMAL(38,0)'}"));
        // past 38 digits they stay text, exactly as written
        String wider = "id\n1234567890123456789012345678901234567890\n1\n";
        assertEquals(List.of("VARCHAR"), sameAsDuckDb("widerids", wider, "", "types={'id': 'VARCHAR'}"));
        // and a DOUBLE column refuses them on append rather than rounding
        assertEquals(201, post("dbl", "", "x\n1.5\n".getBytes(StandardCharsets.UTF_8)).status());
        Answer drift = post("dbl", "mode=append", "x\n12345678901234567891\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(409, drift.status(), drift.body().toString());
        assertEquals("schema_drift", drift.body().get("code").asText(), drift.body().toString());
    }

    @Test
    void explicitDialectParametersOverrideTheSniffer() throws Exception {
        // two leading lines of prose, no header row, 'NA' for missing values
        String csv = "exported by tool\nversion 3\n1,NA\n2,x\n";
        assertEquals(List.of("BIGINT", "VARCHAR"), sameAsDuckDb("explicit", csv, "skip=2&header=false&null=NA",
                "skip=2, header=false, nullstr='NA'"));
        Answer empty = post("explicit", "mode=append", new byte[0]);
        assertEquals(400, empty.status(), "an empty append is refused, not drift: " + empty.body());
        Answer bad = post("explicit2", "delimiter=", "a\n1\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, bad.status(), bad.body().toString());
        assertEquals("bad_parameter", bad.body().get("code").asText(), bad.body().toString());
    }

    static byte[] gzip(byte[] plain) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    static List<String> rows(String dataset) throws Exception {
        Path stored = S3.tempDir().resolve(dataset + "-rows.parquet");
        Files.write(stored, storage.getBytes(catalogFile(dataset)));
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM read_parquet('" + stored + "') ORDER BY ALL")) {
            while (r.next()) {
                out.add(r.getString(1) + "|" + r.getString(2));
            }
        }
        return out;
    }

    static String catalogFile(String dataset) {
        return new dev.lakehouse.common.client.CatalogClient(catalogd.baseUrl(), S3.credential()).latest(dataset).orElseThrow()
                .files().get(0).key();
    }

    @Test
    void gzipAndZstdBodiesAreDecompressedWhileSpooledByHeaderOrByMagicBytes() throws Exception {
        byte[] csv = "id,name\n1,ann\n2,bob\n".getBytes(StandardCharsets.UTF_8);
        byte[] gz = gzip(csv);
        byte[] zst = com.github.luben.zstd.Zstd.compress(csv);
        assertEquals(201, post(ingestd, "gz_header", "", gz, "text/csv", "gzip").status());
        assertEquals(201, post(ingestd, "gz_magic", "", gz, "text/csv", null).status());
        assertEquals(201, post(ingestd, "zst_header", "", zst, "text/csv", "zstd").status());
        assertEquals(201, post(ingestd, "zst_magic", "", zst, "text/csv", null).status());
        for (String ds : List.of("gz_header", "gz_magic", "zst_header", "zst_magic")) {
            assertEquals(List.of("1|ann", "2|bob"), rows(ds), ds);
        }
        Answer br = post(ingestd, "br", "", csv, "text/csv", "br");
        assertEquals(415, br.status(), br.body().toString());
        Answer corrupt = post(ingestd, "corrupt", "", java.util.Arrays.copyOf(gz, gz.length - 12), "text/csv", "gzip");
        assertEquals(400, corrupt.status(), corrupt.body().toString());
    }

    @Test
    void aGzipBombIsRefused413WithNothingLeftInSpoolOrStorage() throws Exception {
        // 64 concatenated gzip members of 16 MiB of zeros each: ~1 MiB that inflates to 1 GiB
        byte[] member = gzip(new byte[16 << 20]);
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        bomb.write(gzip("a\n".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 64; i++) {
            bomb.write(member);
        }
        assertTrue(bomb.size() < (2 << 20), "the body is small: " + bomb.size());
        Answer a = post(capped, "bomb", "", bomb.toByteArray(), "text/csv", "gzip");
        assertEquals(413, a.status(), a.body().toString());
        try (var files = Files.list(S3.tempDir().resolve("capped-spool"))) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith("upload-")).toList(),
                    "nothing left in the spool");
        }
        assertEquals(List.of(), storage.listAll("datasets/bomb/"), "nothing stored");
    }

    static final String NDJSON = "application/x-ndjson";
    static final String PARQUET = "application/vnd.apache.parquet";

    static List<String> types(Answer a) {
        List<String> out = new ArrayList<>();
        a.body().get("schema").forEach(c -> out.add(c.get("name").asText() + " " + c.get("type").asText()));
        return out;
    }

    @Test
    void ndjsonBodiesKeepTheirTypesIncludingTwentyDigitIntegers() throws Exception {
        String lines = "{\"id\":1,\"name\":\"a\",\"u\":\"550e8400-e29b-41d4-a716-446655440000\",\"t\":\"10:11:12\","
                + "\"d\":\"2024-01-01\",\"x\":1.5,\"big\":12345678901234567891}\n"
                + "{\"id\":2,\"name\":null,\"u\":\"550e8400-e29b-41d4-a716-446655440001\",\"t\":\"10:11:13\","
                + "\"d\":\"2024-01-02\",\"x\":2,\"big\":12345678901234567892}\n";
        Answer a = post(ingestd, "nd", "", lines.getBytes(StandardCharsets.UTF_8), NDJSON, null);
        assertEquals(201, a.status(), a.body().toString());
        assertEquals("ndjson", a.body().get("format").asText());
        assertEquals(List.of("id BIGINT", "name VARCHAR", "u UUID", "t TIME", "d DATE", "x DOUBLE", "big DECIMAL(38,0)"),
                types(a));
        Path stored = S3.tempDir().resolve("nd.parquet");
        Files.write(stored, storage.getBytes(catalogFile("nd")));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT big::VARCHAR FROM read_parquet('" + stored + "') ORDER BY id")) {
            assertTrue(r.next());
            assertEquals("12345678901234567891", r.getString(1));
            assertTrue(r.next());
            assertEquals("12345678901234567892", r.getString(1), "not rounded to the same double");
        }
        // gzip'd NDJSON goes the same way; an append with a retyped key is drift
        Answer more = post(ingestd, "nd", "mode=append", gzip(lines.getBytes(StandardCharsets.UTF_8)), NDJSON, "gzip");
        assertEquals(201, more.status(), more.body().toString());
        assertEquals(4, more.body().get("rows").asLong());
        Answer drift = post(ingestd, "nd", "mode=append", lines.replace("\"id\":1", "\"id\":\"one\"").replace("\"id\":2", "\"id\":\"two\"")
                .getBytes(StandardCharsets.UTF_8), NDJSON, null);
        assertEquals(409, drift.status(), drift.body().toString());
        assertEquals("schema_drift", drift.body().get("code").asText());
        Answer nested = post(ingestd, "nd_nested", "", "{\"o\":{\"k\":1}}\n".getBytes(StandardCharsets.UTF_8), NDJSON, null);
        assertEquals(400, nested.status(), nested.body().toString());
        assertEquals("unsupported_type", nested.body().get("code").asText());
        Answer broken = post(ingestd, "nd_broken", "", "id,x\n1,2\n".getBytes(StandardCharsets.UTF_8), NDJSON, null);
        assertEquals(400, broken.status(), broken.body().toString());
        assertEquals(400, post(ingestd, "nd_param", "delimiter=;", lines.getBytes(StandardCharsets.UTF_8), NDJSON, null).status());
    }

    @Test
    void ndjsonTakesDeclaredTypesAndRefusesAValueTheDeclaredDecimalWouldRound() throws Exception {
        String lines = "{\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"amount\":1.25,\"ts\":\"2024-01-01 10:00:00+02\",\"n\":7}\n"
                + "{\"id\":\"550e8400-e29b-41d4-a716-446655440001\",\"amount\":2,\"ts\":\"2024-01-02 10:00:00Z\",\"n\":8}\n";
        String declared = "type=amount:DECIMAL(10,2)&type=ts:TIMESTAMPTZ";
        Answer a = post(ingestd, "nd_typed", declared, lines.getBytes(StandardCharsets.UTF_8), NDJSON, null);
        assertEquals(201, a.status(), a.body().toString());
        assertEquals(List.of("id UUID", "amount DECIMAL(10,2)", "ts TIMESTAMP WITH TIME ZONE", "n BIGINT"), types(a));
        Path stored = S3.tempDir().resolve("nd_typed.parquet");
        Files.write(stored, storage.getBytes(catalogFile("nd_typed")));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT amount::VARCHAR, typeof(amount), epoch(ts)::BIGINT FROM read_parquet('"
                        + stored + "') ORDER BY n")) {
            assertTrue(r.next());
            assertEquals("1.25", r.getString(1));
            assertEquals("DECIMAL(10,2)", r.getString(2));
            assertEquals(1704096000L, r.getLong(3), "the +02 offset is applied");
        }
        Answer rounded = post(ingestd, "nd_rounded", declared, lines.replace("1.25", "1.255").getBytes(StandardCharsets.UTF_8),
                NDJSON, null);
        assertEquals(400, rounded.status(), rounded.body().toString());
        assertEquals("lossy_value", rounded.body().get("code").asText());
        assertEquals("amount", rounded.body().get("column").asText());
        Answer unfit = post(ingestd, "nd_unfit", "type=n:UUID", lines.getBytes(StandardCharsets.UTF_8), NDJSON, null);
        assertEquals(400, unfit.status(), unfit.body().toString());
        Answer unknown = post(ingestd, "nd_unknown", "type=nope:BIGINT", lines.getBytes(StandardCharsets.UTF_8), NDJSON, null);
        assertEquals(400, unknown.status(), unknown.body().toString());
        assertEquals("bad_parameter", unknown.body().get("code").asText());
        for (String ds : List.of("nd_rounded", "nd_unfit", "nd_unknown")) {
            assertEquals(List.of(), storage.listAll("datasets/" + ds + "/"), "nothing stored for " + ds);
        }
    }

    @Test
    void aCsvValueADeclaredDecimalWouldRoundIsRefusedNotRounded() throws Exception {
        Answer exact = post("csv_dec", "type=amount:DECIMAL(10,2)", "id,amount\n1,1.25\n2,2\n3,1.250\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, exact.status(), exact.body().toString());
        Answer comma = post("csv_dec_comma", "delimiter=;&decimal_separator=,&type=amount:DECIMAL(10,2)",
                "id;amount\n1;1,25\n2;2\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, comma.status(), comma.body().toString());
        Answer rounded = post("csv_dec_rounded", "type=amount:DECIMAL(10,2)", "id,amount\n1,1.25\n2,1.255\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, rounded.status(), rounded.body().toString());
        assertEquals("lossy_value", rounded.body().get("code").asText());
        assertEquals(List.of(), storage.listAll("datasets/csv_dec_rounded/"), "nothing stored");
    }

    static byte[] parquet(String select) throws Exception {
        Path p = Files.createTempFile(S3.tempDir(), "body-", ".parquet");
        Files.delete(p);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + p + "' (FORMAT parquet)");
        }
        return Files.readAllBytes(p);
    }

    @Test
    void aParquetBodyIsStoredAsSentWhenItsTypesAreTheDatasetsAndRewrittenOnlyToMapThem() throws Exception {
        byte[] exact = parquet("SELECT i::BIGINT AS id, 'n' || i AS name, (i / 4)::DECIMAL(10,2) AS amount,"
                + " TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_hours(i) AS at FROM range(100) r(i)");
        Answer a = post(ingestd, "pq", "", exact, PARQUET, null);
        assertEquals(201, a.status(), a.body().toString());
        assertEquals(false, a.body().get("rewritten").asBoolean());
        assertEquals(List.of("id BIGINT", "name VARCHAR", "amount DECIMAL(10,2)", "at TIMESTAMP WITH TIME ZONE"), types(a));
        assertEquals(100, a.body().get("rows").asLong());
        assertTrue(java.util.Arrays.equals(exact, storage.getBytes(catalogFile("pq"))), "the very bytes sent");

        // an INTEGER id widens to the dataset's BIGINT: rewritten
        byte[] narrow = parquet("SELECT 7::INTEGER AS id, 'x' AS name, 1.5::DECIMAL(10,2) AS amount,"
                + " TIMESTAMPTZ '2024-02-01 00:00:00+00' AS at");
        Answer appended = post(ingestd, "pq", "mode=append", narrow, PARQUET, null);
        assertEquals(201, appended.status(), appended.body().toString());
        assertEquals(true, appended.body().get("rewritten").asBoolean());
        assertEquals(101, appended.body().get("rows").asLong());

        byte[] drifted = parquet("SELECT 'seven' AS id, 'x' AS name, 1.5::DECIMAL(10,2) AS amount,"
                + " TIMESTAMPTZ '2024-02-01 00:00:00+00' AS at");
        Answer drift = post(ingestd, "pq", "mode=append", drifted, PARQUET, null);
        assertEquals(409, drift.status(), drift.body().toString());
        assertEquals("schema_drift", drift.body().get("code").asText());

        Answer ns = post(ingestd, "pq_ns", "", parquet("SELECT TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS at"), PARQUET, null);
        assertEquals(400, ns.status(), ns.body().toString());
        assertEquals("unsupported_type", ns.body().get("code").asText());
        Answer junk = post(ingestd, "pq_junk", "", "PAR1 not really".getBytes(StandardCharsets.UTF_8), PARQUET, null);
        assertEquals(400, junk.status(), junk.body().toString());
        assertEquals(2, new dev.lakehouse.common.client.CatalogClient(catalogd.baseUrl(), S3.credential()).latest("pq").orElseThrow()
                .version(), "the drifted append registered nothing");
        assertEquals(List.of(), storage.listAll("datasets/pq_junk/"));
    }
}
