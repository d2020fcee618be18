package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.testkit.S3Extension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code PIVOT t ON col} without an IN list answers what DuckDB's own PIVOT answers on the same data: queryd reads
 * the column's distinct values on the query's pinned views and lists them (ADR 0033).
 */
class PivotWithoutInListTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final Lake LAKE = new Lake(S3);

    /** Text order of the numbers differs from numeric order (10 before 9), a NULL, a value with a quote. */
    static final String TRIPS = "SELECT id::BIGINT AS id, region, n::BIGINT AS n, amount FROM (VALUES (1, 'north', 10, 1.5), (2, 'south', 9, 2.5), (3, 'north', NULL, 3.0),"
            + " (4, NULL, 10, 1.0), (5, 'o''brien', 9, 4.0), (6, 'south', 100, 0.5)) v(id, region, n, amount)";

    static String url;
    static String boundedUrl;

    @BeforeAll
    static void start() throws Exception {
        url = LAKE.queryd(Map.of()).baseUrl() + "/sql";
        boundedUrl = LAKE.queryd(Map.of("queryd.pivot_max_values", "2")).baseUrl() + "/sql";
        LAKE.register("trips", List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("region", "VARCHAR"),
                new ColumnSpec("n", "BIGINT"), new ColumnSpec("amount", "DECIMAL(2,1)")),
                List.of(LAKE.parquet("trips", TRIPS)));
        LAKE.register("nothing", List.of(new ColumnSpec("region", "VARCHAR")),
                List.of(LAKE.parquet("nothing", "SELECT NULL::VARCHAR AS region FROM range(3)")));
    }

    /** DuckDB's own answer to {@code pivot} (run as DuckDB runs it: CREATE TYPE, then the pivot) as CSV. */
    static String duckdb(String pivot) throws Exception {
        Path out = S3.tempDir().resolve(UUID.randomUUID() + ".csv");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE trips AS " + TRIPS);
            s.execute("CREATE TABLE answer AS " + pivot);
            s.execute("COPY answer TO '" + out + "' (FORMAT csv, HEADER)");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    static String queryd(String sql) {
        Http.Reply r = Http.post(url, Json.write(Map.of("sql", sql)), "application/json", "text/csv");
        assertEquals(200, r.code(), r.text());
        return r.text();
    }

    @Test
    void aPivotWithoutAnInListAnswersWhatDuckDbsOwnPivotAnswers() throws Exception {
        for (String pivot : List.of(
                "PIVOT trips ON n USING count(*) GROUP BY region ORDER BY region",
                "PIVOT trips ON region USING sum(amount) GROUP BY n ORDER BY n",
                "PIVOT trips ON region, n USING count(*) ORDER BY id",
                "PIVOT trips ON n IN (9, 10), region USING max(id) ORDER BY amount",
                "PIVOT (SELECT region, n % 2 AS odd FROM trips) ON odd USING count(*) ORDER BY region",
                "WITH p AS (PIVOT trips ON n USING sum(id) GROUP BY region) SELECT * FROM p ORDER BY region")) {
            String expected = duckdb(pivot);
            assertTrue(expected.lines().count() > 1, pivot + ": " + expected);
            assertEquals(expected, queryd(pivot), pivot);
        }
    }

    @Test
    void aPivotsJsonAnswerNamesItsColumnsAfterTheValuesInDuckDbsOrder() {
        Http.Reply r = Http.sql(url, "PIVOT trips ON n USING count(*) GROUP BY region ORDER BY region");
        assertEquals(200, r.code(), r.text());
        assertEquals("[\"region\",\"10\",\"100\",\"9\"]", Json.MAPPER.valueToTree(
                r.json().get("columns").findValuesAsText("name")).toString(), r.text());
        assertEquals(1, r.json().at("/versions/trips").asInt(), r.text());
    }

    @Test
    void aColumnWithMoreDistinctValuesThanTheBoundIsRefusedNamingTheBound() {
        Http.Reply r = Http.sql(boundedUrl, "PIVOT trips ON n USING count(*)");
        assertEquals(400, r.code(), r.text());
        assertEquals("pivot_too_many_values", r.json().get("code").asText(), r.text());
        assertEquals(2, r.json().get("max_values").asInt(), r.text());
        assertTrue(r.json().get("error").asText().contains("IN ("), "says how to list the values: " + r.text());
        assertEquals(200, Http.sql(boundedUrl, "PIVOT trips ON n IN (9, 10) USING count(*)").code(),
                "a listed pivot is not bounded by the setting");
    }

    @Test
    void aColumnWithOnlyNullsIsRefusedAsHavingNoValueToPivotInto() {
        Http.Reply r = Http.sql(url, "PIVOT nothing ON region USING count(*)");
        assertEquals(400, r.code(), r.text());
        assertEquals("pivot_no_values", r.json().get("code").asText(), r.text());
    }

    @Test
    void aPivotOverAnUnknownDatasetIsAnUnknownDatasetNotAnEngineError() {
        Http.Reply r = Http.sql(url, "PIVOT tripz ON n USING count(*)");
        assertEquals(400, r.code(), r.text());
        assertEquals("unknown_dataset", r.json().get("code").asText(), r.text());
        assertTrue(r.text().contains("trips"), "names the closest dataset: " + r.text());
    }

    @Test
    void versionOnADescribePinsTheDatasetItDescribes() throws Exception {
        LAKE.register("evolving", List.of(new ColumnSpec("id", "BIGINT")),
                List.of(LAKE.parquet("evolving", "SELECT range AS id FROM range(2)")));
        LAKE.register("evolving", List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("note", "VARCHAR")),
                List.of(LAKE.parquet("evolving", "SELECT range AS id, 'n' || range AS note FROM range(3)")));
        Http.Reply v1 = Http.sql(url + "?version=1", "DESCRIBE evolving");
        assertEquals(200, v1.code(), v1.text());
        assertEquals(1, v1.json().get("row_count").asInt(), "version 1 had one column: " + v1.text());
        assertEquals(1, v1.json().at("/versions/evolving").asInt(), v1.text());
        assertEquals(2, Http.sql(url, "DESCRIBE evolving").json().get("row_count").asInt(), "latest has two");
    }

    @Test
    void versionOnAListingThatReadsNoDatasetIsRefusedSayingHowToPinIt() {
        for (String sql : List.of("SHOW TABLES", "SELECT table_name FROM information_schema.tables")) {
            Http.Reply r = Http.sql(url + "?version=1", sql);
            assertEquals(400, r.code(), r.text());
            assertEquals("version_needs_dataset", r.json().get("code").asText(), sql + ": " + r.text());
            assertTrue(r.json().get("error").asText().contains("\"versions\""), r.text());
        }
    }

    @Test
    void aPivotsSourceStaysInsideTheSandbox() {
        Http.Reply r = Http.sql(url, "PIVOT (SELECT * FROM read_csv('/etc/passwd')) ON column0 USING count(*)");
        assertEquals(403, r.code(), r.text());
        assertEquals("sql_sandbox", r.json().get("code").asText(), r.text());
    }
}
