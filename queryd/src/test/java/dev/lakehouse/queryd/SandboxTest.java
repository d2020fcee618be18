package dev.lakehouse.queryd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.testkit.S3Extension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SQL sees datasets, never paths: not queryd's cache, not its settings, not a deleted dataset's files. */
class SandboxTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final Lake LAKE = new Lake(S3);

    static Path cacheDir;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        cacheDir = S3.tempDir().resolve("sandbox-cache");
        ServiceApp queryd = LAKE.queryd(Map.of("queryd.cache_dir", cacheDir.toString(),
                "queryd.cache_sweep_interval", "200ms"));
        url = queryd.baseUrl() + "/sql";
        LAKE.register("secret", List.of(new ColumnSpec("id", "BIGINT")),
                List.of(LAKE.parquet("secret", "SELECT range AS id FROM range(42)")));
        LAKE.register("visible", List.of(new ColumnSpec("id", "BIGINT")),
                List.of(LAKE.parquet("visible", "SELECT range AS id FROM range(3)")));
        assertEquals(42, Http.sql(url, "SELECT count(*) FROM secret").json().at("/rows/0/0").asInt());
        assertTrue(parquetFiles().size() >= 1, "the cache holds the dataset's file");
    }

    static List<Path> parquetFiles() throws Exception {
        try (Stream<Path> s = Files.list(cacheDir)) {
            return s.filter(p -> p.toString().endsWith(".parquet")).toList();
        }
    }

    static List<String> reference(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void everyTableFunctionOfThisDuckDbThatIsNotPureComputationIsRefused() throws Exception {
        String file = parquetFiles().get(0).toString();
        // from DuckDB itself, so a function added by a new version is tried too
        List<String> functions = reference("SELECT DISTINCT function_name FROM duckdb_functions()"
                + " WHERE function_type IN ('table', 'table_macro') ORDER BY 1");
        assertTrue(functions.size() > 30, functions.toString());
        List<String> allowed = List.of("range", "generate_series", "unnest", "json_each", "json_tree");
        int refused = 0;
        for (String fn : functions) {
            if (allowed.contains(fn)) {
                continue;
            }
            for (String arg : new String[] {"'" + file + "'", "'" + cacheDir + "/*.parquet'"}) {
                Http.Reply r = Http.sql(url, "SELECT * FROM " + fn + "(" + arg + ")");
                assertEquals(403, r.code(), fn + ": " + r.text());
                assertEquals("sql_sandbox", r.json().get("code").asText(), fn);
            }
            refused++;
        }
        assertTrue(refused > 30);
        Http.Reply nested = Http.sql(url, "SELECT (SELECT count(*) FROM read_parquet('" + file + "')) AS n FROM visible");
        assertEquals(403, nested.code(), "anywhere in the statement: " + nested.text());
        assertEquals(200, Http.sql(url, "SELECT count(*) FROM range(5), unnest([1, 2]), generate_series(1, 2)").code());
    }

    @Test
    void filesAndSystemTablesCannotBeNamedAsTables() throws Exception {
        String file = parquetFiles().get(0).toString();
        for (String sql : new String[] {"SELECT * FROM '" + file + "'", "SELECT * FROM \"" + file + "\"",
            "FROM '" + cacheDir + "/*.parquet'", "SELECT * FROM system.main.duckdb_settings",
            "SELECT * FROM pg_catalog.pg_views", "SELECT * FROM temp.main.secret"}) {
            Http.Reply r = Http.sql(url, sql);
            assertEquals(403, r.code(), sql + ": " + r.text());
        }
        for (String sql : new String[] {"SELECT sql FROM sqlite_master", "SELECT * FROM duckdb_views",
            "SELECT * FROM duckdb_tables", "SELECT * FROM pg_views"}) {
            Http.Reply r = Http.sql(url, sql);
            assertEquals(400, r.code(), sql + ": " + r.text());
            assertEquals("unknown_dataset", r.json().get("code").asText(), r.text());
            assertFalse(r.text().contains(cacheDir.toString()), r.text());
        }
    }

    @Test
    void noSettingCanBeRead() throws Exception {
        List<String> settings = reference("SELECT name FROM duckdb_settings() ORDER BY 1");
        assertTrue(settings.contains("temp_directory") && settings.contains("allowed_directories"));
        for (String name : settings) {
            Http.Reply r = Http.sql(url, "SELECT current_setting('" + name + "')");
            assertEquals(403, r.code(), name + ": " + r.text());
        }
        Http.Reply all = Http.sql(url, "SELECT * FROM duckdb_settings()");
        assertEquals(403, all.code(), all.text());
        assertFalse(all.text().contains(cacheDir.toString()));
    }

    @Test
    void anUnknownNameIsAnsweredWithTheDatasetsThereAre() {
        Http.Reply r = Http.sql(url, "SELECT * FROM visibel");
        assertEquals(400, r.code(), r.text());
        assertEquals("unknown_dataset", r.json().get("code").asText());
        assertTrue(r.json().get("error").asText().contains("did you mean visible"), r.text());
        assertFalse(r.text().contains("pg_"), "no DuckDB internals suggested: " + r.text());
        assertEquals(200, Http.sql(url, "WITH visibel AS (SELECT 1 AS x) SELECT * FROM visibel").code(), "a CTE is no dataset");
    }

    @Test
    void showTablesDescribeAndInformationSchemaListTheDatasets() {
        Http.Reply show = Http.sql(url, "SHOW TABLES");
        assertEquals(200, show.code(), show.text());
        List<String> names = new ArrayList<>();
        show.json().get("rows").forEach(r -> names.add(r.get(0).asText()));
        assertTrue(names.containsAll(List.of("secret", "visible")), names.toString());
        Http.Reply tables = Http.sql(url, "SELECT table_name FROM information_schema.tables ORDER BY 1");
        assertEquals(200, tables.code(), tables.text());
        assertTrue(tables.text().contains("\"visible\""), tables.text());
        Http.Reply cols = Http.sql(url, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'visible'");
        assertEquals("id", cols.json().at("/rows/0/0").asText(), cols.text());
        assertEquals("BIGINT", cols.json().at("/rows/0/1").asText());
        Http.Reply describe = Http.sql(url, "DESCRIBE visible");
        assertEquals(200, describe.code(), describe.text());
        assertEquals("id", describe.json().at("/rows/0/0").asText());
        assertEquals("BIGINT", describe.json().at("/rows/0/1").asText());
        Http.Reply unpivot = Http.sql(url, "UNPIVOT (SELECT id, id * 2 AS twice FROM visible) ON id, twice INTO NAME k VALUE v");
        assertEquals(200, unpivot.code(), unpivot.text());
        assertEquals(6, unpivot.json().get("row_count").asInt());
        Http.Reply pivot = Http.sql(url, "SELECT * FROM (SELECT id % 2 AS odd FROM visible) PIVOT (count(*) FOR odd IN (0, 1))");
        assertEquals(200, pivot.code(), pivot.text());
        assertEquals(2, pivot.json().at("/rows/0/0").asInt(), "ids 0 and 2 are even: " + pivot.text());
        assertEquals(1, pivot.json().at("/rows/0/1").asInt(), pivot.text());
    }

    @Test
    void discoveryAtPinnedVersionsListsThoseVersionsSchemas() throws Exception {
        LAKE.register("evolving", List.of(new ColumnSpec("id", "BIGINT")),
                List.of(LAKE.parquet("evolving", "SELECT range AS id FROM range(2)")));
        LAKE.register("evolving", List.of(new ColumnSpec("id", "BIGINT"), new ColumnSpec("note", "VARCHAR")),
                List.of(LAKE.parquet("evolving", "SELECT range AS id, 'n' || range AS note FROM range(3)")));
        String columns = "SELECT column_name FROM information_schema.columns WHERE table_name = 'evolving' ORDER BY ordinal_position";
        assertEquals("[[\"id\"],[\"note\"]]", Http.sql(url, columns).json().get("rows").toString(), "latest by default");

        Http.Reply v1 = Http.post(url, Json.MAPPER.writeValueAsString(Map.of("sql", columns, "versions", Map.of("evolving", 1))),
                "application/json", null);
        assertEquals(200, v1.code(), v1.text());
        assertEquals("[[\"id\"]]", v1.json().get("rows").toString(), "version 1 had one column");
        assertEquals(1, v1.json().at("/versions/evolving").asInt(), "the answer names the version it listed");

        Http.Reply describe = Http.post(url, Json.MAPPER.writeValueAsString(Map.of("sql", "DESCRIBE evolving",
                "versions", Map.of("evolving", 1))), "application/json", null);
        assertEquals(200, describe.code(), describe.text());
        assertEquals(1, describe.json().get("row_count").asInt(), describe.text());
        Http.Reply show = Http.post(url, Json.MAPPER.writeValueAsString(Map.of("sql", "SHOW TABLES",
                "versions", Map.of("evolving", 1))), "application/json", null);
        assertEquals(200, show.code(), show.text());
        assertTrue(show.text().contains("\"evolving\""), show.text());

        Http.Reply unknown = Http.post(url, Json.MAPPER.writeValueAsString(Map.of("sql", columns,
                "versions", Map.of("evolving", 9))), "application/json", null);
        assertEquals(404, unknown.code(), unknown.text());
    }

    @Test
    void deletingADatasetEvictsItsCachedFilesWithoutAQueryNamingIt() throws Exception {
        LAKE.register("doomed", List.of(new ColumnSpec("id", "BIGINT")),
                List.of(LAKE.parquet("doomed", "SELECT range AS id FROM range(9)")));
        List<Path> before = parquetFiles();
        assertEquals(9, Http.sql(url, "SELECT count(*) FROM doomed").json().at("/rows/0/0").asInt());
        List<Path> added = new ArrayList<>(parquetFiles());
        added.removeAll(before);
        assertEquals(1, added.size(), "its one file is cached");
        LAKE.catalog.delete("doomed");
        for (int i = 0; i < 100 && Files.exists(added.get(0)); i++) {
            Thread.sleep(50);
        }
        assertFalse(Files.exists(added.get(0)), "evicted within the sweep interval");
        assertNotEquals(0, parquetFiles().size(), "other datasets' files stay");
        assertEquals(3, Http.sql(url, "SELECT count(*) FROM visible").json().at("/rows/0/0").asInt());
    }
}
