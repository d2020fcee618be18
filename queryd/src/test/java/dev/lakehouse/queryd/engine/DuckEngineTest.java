package dev.lakehouse.queryd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.queryd.admission.SqlGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's own wall, tested with the statement gate bypassed: whatever SQL reaches DuckDB, it reads only
 * the cache directory, and the lock cannot be lifted from SQL.
 */
class DuckEngineTest {
    @TempDir
    static Path tmp;
    static DuckEngine engine;
    static Path cached;
    static Path outside;

    @BeforeAll
    static void start() throws Exception {
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache);
        cached = cache.resolve("t.parquet");
        outside = tmp.resolve("outside.parquet");
        try (Connection w = DriverManager.getConnection("jdbc:duckdb:"); Statement s = w.createStatement()) {
            s.execute("COPY (SELECT range AS id FROM range(100)) TO '" + cached + "' (FORMAT parquet)");
            s.execute("COPY (SELECT 'secret' AS s) TO '" + outside + "' (FORMAT parquet)");
        }
        Files.writeString(tmp.resolve("secret.csv"), "a,b\n1,2\n");
        engine = new DuckEngine(cache, tmp.resolve("spill"), "256MB", 1, true, false);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static String run(String sql) throws SQLException {
        try (Connection c = engine.connect(); Statement s = c.createStatement()) {
            if (s.execute(sql)) {
                try (ResultSet rs = s.getResultSet()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
            return null;
        }
    }

    @Test
    void readsTheCacheDirectoryOnly() throws SQLException {
        assertEquals("4950", run("SELECT sum(id) FROM read_parquet('" + cached + "')"));
        assertFalse(engine.httpfsLoaded());
    }

    @Test
    void theExportEngineWritesItsExportDirectoryAndTheOtherEngineDoesNot() throws Exception {
        Path exportDir = tmp.resolve("exports");
        Files.createDirectories(exportDir);
        Files.writeString(exportDir.resolve("left-by-a-crash.csv"), "x\n");
        try (DuckEngine exports = new DuckEngine(tmp.resolve("cache"), tmp.resolve("spill-e"), "256MB", 1, true, true,
                null, exportDir); Connection c = exports.connect(); Statement s = c.createStatement()) {
            assertEquals(0, Files.list(exportDir).count(), "what a crash left is removed at start");
            s.execute("COPY (SELECT 42 AS n) TO '" + exportDir.resolve("a.csv") + "' (FORMAT csv, HEADER)");
            assertEquals("n\n42\n", Files.readString(exportDir.resolve("a.csv")));
            assertThrows(SQLException.class, () -> s.execute("COPY (SELECT 1) TO '" + tmp.resolve("b.csv") + "'"));
            assertThrows(SQLException.class, () -> s.execute("SET allowed_directories = ['/']"));
        }
        assertThrows(SQLException.class, () -> run("COPY (SELECT 1) TO '" + exportDir.resolve("c.csv") + "'"),
                "the pages engine has no export directory");
    }

    @Test
    void appliesTheTuningItWasGiven() throws SQLException {
        assertEquals("true", run("SELECT current_setting('allocator_background_threads')::VARCHAR"));
        assertEquals("true", run("SELECT current_setting('parquet_metadata_cache')::VARCHAR"));
        assertEquals("false", run("SELECT current_setting('preserve_insertion_order')::VARCHAR"));
        assertEquals("1", run("SELECT current_setting('threads')::VARCHAR"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_csv_auto('/etc/passwd')",
        "SELECT * FROM '/etc/passwd'",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM read_blob('/etc/hostname')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_json('/etc/os-release')",
        "SELECT * FROM read_parquet('http://127.0.0.1:1/x.parquet')",
        "SELECT * FROM read_parquet('https://example.com/x.parquet')",
        "SELECT * FROM read_parquet('s3://lakehouse-primary/datasets/x.parquet')",
        "SELECT * FROM read_parquet('OUTSIDE')",
        "SELECT * FROM read_csv('SECRET')",
        "SELECT * FROM read_parquet('CACHE/../outside.parquet')",
        "ATTACH 'ATTACHED' AS x",
        "COPY (SELECT 1) TO 'WRITTEN'"})
    void refusesFilesAndUrlsOutsideTheCache(String template) {
        String sql = template.replace("OUTSIDE", outside.toString())
                .replace("SECRET", tmp.resolve("secret.csv").toString())
                .replace("CACHE", cached.getParent().toString())
                .replace("ATTACHED", tmp.resolve("a.db").toString())
                .replace("WRITTEN", tmp.resolve("w.csv").toString());
        SQLException e = assertThrows(SQLException.class, () -> run(sql));
        assertTrue(e.getMessage().startsWith("Permission Error") || e.getMessage().contains("disabled by configuration")
                || e.getMessage().contains("not allowed")
                // with external access off, a path in FROM is no longer a file scan but an unknown table
                || e.getMessage().startsWith("Catalog Error: Table with name /etc/passwd does not exist"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("a.db")));
        assertFalse(Files.exists(tmp.resolve("w.csv")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SET enable_external_access = true",
        "SET allowed_directories = ['/']",
        "SET allowed_paths = ['/etc/passwd']",
        "SET lock_configuration = false",
        "RESET lock_configuration",
        "RESET enable_external_access",
        "SET GLOBAL enable_external_access = true",
        "SET autoinstall_known_extensions = true",
        "SET memory_limit = '100GB'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "LOAD '/tmp/evil.duckdb_extension'"})
    void theLockCannotBeLiftedFromSql(String sql) throws SQLException {
        assertThrows(SQLException.class, () -> run(sql));
        assertEquals("false", run("SELECT current_setting('enable_external_access')"));
        assertEquals("true", run("SELECT current_setting('lock_configuration')"));
        assertThrows(SQLException.class, () -> run("SELECT * FROM read_csv('/etc/passwd')"));
    }

    @Test
    void orderByIsKeptUnderTheBoundingLimitWithoutInsertionOrder() throws Exception {
        try (Connection c = engine.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(SqlGuard.admit(c, "SELECT range AS x FROM range(3000000) ORDER BY hash(range) DESC, range").page(0, 200_000))) {
            int n = 0;
            try (Connection ref = DriverManager.getConnection("jdbc:duckdb:"); Statement rs2 = ref.createStatement();
                    ResultSet want = rs2.executeQuery("SELECT range FROM range(3000000) ORDER BY hash(range) DESC, range LIMIT 200001")) {
                while (rs.next()) {
                    assertTrue(want.next());
                    assertEquals(want.getLong(1), rs.getLong(1), "row " + n);
                    n++;
                }
            }
            assertEquals(200_001, n);
        }
    }
}
