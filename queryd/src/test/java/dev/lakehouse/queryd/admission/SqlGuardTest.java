package dev.lakehouse.queryd.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.queryd.DuckParser;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The statement gate, with DuckDB's own parser. */
class SqlGuardTest {
    @RegisterExtension
    static final DuckParser PARSER = new DuckParser();

    @ParameterizedTest
    @ValueSource(strings = {
        "INSTALL httpfs", "LOAD httpfs", "ATTACH '/tmp/x.db' AS x", "DETACH x", "COPY sales TO '/tmp/out.csv'",
        "PRAGMA enable_profiling", "SET enable_external_access = true", "RESET lock_configuration",
        "CREATE TABLE t AS SELECT 1", "CREATE VIEW v AS SELECT 1", "CREATE SECRET (TYPE s3)", "DROP TABLE sales",
        "INSERT INTO sales VALUES (1)", "UPDATE sales SET id = 1", "DELETE FROM sales", "CALL checkpoint()",
        "EXPORT DATABASE '/tmp/x'", "USE memory", "BEGIN TRANSACTION", "CHECKPOINT", "VACUUM",
        "SELECT 1; DROP TABLE sales", "SELECT 1; SELECT 2", "EXPLAIN DROP TABLE sales",
        "EXPLAIN (SELECT 1); SELECT 2", "EXPLAIN ANALYZE COPY sales TO 'x'", "/* c */ EXPLAIN SELECT 1; DROP TABLE x",
        "PIVOT sales ON region USING sum(amount)", "SELEC 1", "", "   ", "-- only a comment"})
    void rejectsAnythingButOneReadOnlyStatement(String sql) {
        BadRequest e = assertThrows(BadRequest.class, () -> SqlGuard.check(PARSER.get(), sql));
        assertEquals(400, e.status());
    }

    @Test
    void aPivotWithoutAnInListIsRefusedSayingWhyAndHowToListTheValues() {
        BadRequest e = assertThrows(BadRequest.class, () -> SqlGuard.check(PARSER.get(), "PIVOT sales ON region USING sum(amount)"));
        assertEquals("pivot_needs_in_list", e.code());
        assertTrue(e.getMessage().contains("CREATE TYPE") && e.getMessage().contains("IN ('a', 'b')"), e.getMessage());
        BadRequest other = assertThrows(BadRequest.class, () -> SqlGuard.check(PARSER.get(), "CREATE TABLE pivots AS SELECT 1"));
        assertEquals("bad_request", other.code(), "only a PIVOT gets the PIVOT error");
        SqlGuard.Checked listed = SqlGuard.check(PARSER.get(), "PIVOT sales ON region IN ('north', 'south') USING sum(amount)");
        assertEquals(Set.of("sales"), listed.tables(), "with its values listed, the PIVOT statement is one read");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1", "select 1;", "SELECT 1 -- trailing comment", "/* lead */ SELECT 1", "WITH a AS (SELECT 1 AS x) SELECT x FROM a",
        "FROM sales", "VALUES (1), (2)", "(SELECT 1) UNION ALL (SELECT 2)", "EXPLAIN SELECT 1", "explain analyze select 1",
        "EXPLAIN (FORMAT json) SELECT 1", "SUMMARIZE SELECT 1 AS x", "DESCRIBE sales", "SELECT * FROM sales s JOIN orders o USING (id)"})
    void admitsReadOnlyQueries(String sql) {
        SqlGuard.Checked c = SqlGuard.check(PARSER.get(), sql);
        assertEquals(sql, c.sql(), "the statement runs as given");
    }

    @Test
    void collectsEveryTableNameItReads() {
        SqlGuard.Checked c = SqlGuard.check(PARSER.get(), """
                WITH recent AS (SELECT * FROM Orders WHERE ts > now() - INTERVAL 1 DAY)
                SELECT * FROM recent r JOIN customers c ON r.cid = c.id
                WHERE c.id IN (SELECT id FROM vip) AND EXISTS (SELECT 1 FROM information_schema.tables)
                UNION ALL SELECT * FROM range(3)""");
        assertEquals(Set.of("orders", "recent", "customers", "vip"), c.tables(),
                "lower-cased names; qualified names and table functions are not datasets");
        assertEquals(Set.of("orders", "customers", "vip"), c.datasetNames(), "a CTE is the statement's own");
        for (String reach : new String[] {"SELECT * FROM 'x.parquet'", "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT 1 FROM main.other", "SELECT current_setting('temp_directory')",
            "SELECT * FROM v WHERE x IN (SELECT * FROM glob('/*'))"}) {
            assertThrows(dev.lakehouse.common.error.Forbidden.class, () -> SqlGuard.check(PARSER.get(), reach), reach);
        }
        assertFalse(c.explain());
        assertTrue(SqlGuard.check(PARSER.get(), "EXPLAIN SELECT * FROM sales").explain());
        assertEquals(Set.of("sales"), SqlGuard.check(PARSER.get(), "EXPLAIN SELECT * FROM sales").tables());
    }

    @Test
    void boundsEveryAdmittedSelectWithALimitThatStillParses() throws Exception {
        assertEquals("SELECT * FROM (\nSELECT 1\n) AS q ORDER BY ALL LIMIT 11", SqlGuard.admit(PARSER.get(), "SELECT 1;  ").page(0, 10),
                "an unordered statement's pages follow the order of all its columns");
        assertEquals("SELECT * FROM (\nSELECT 1 ORDER BY 1\n) AS q LIMIT 6 OFFSET 20",
                SqlGuard.admit(PARSER.get(), "SELECT 1 ORDER BY 1").page(20, 5), "an ordered one keeps its order");
        assertEquals("SELECT * FROM (\nSELECT 1\n) AS q LIMIT 7", SqlGuard.admit(PARSER.get(), "SELECT 1").limited(7));
        assertEquals("SELECT * FROM (\nSELECT 1\n) AS q", SqlGuard.admit(PARSER.get(), "SELECT 1;").whole(),
                "an export is wrapped too: rendering selects from it");
        String commented = SqlGuard.admit(PARSER.get(), "SELECT 1 -- trailing").page(0, 10);
        assertTrue(commented.endsWith("LIMIT 11"), commented);
        assertEquals("EXPLAIN SELECT 1", SqlGuard.admit(PARSER.get(), "EXPLAIN SELECT 1").page(0, 10));
        assertEquals("SELECT 1; -- x", SqlGuard.admit(PARSER.get(), "SELECT 1; -- x").page(0, 10),
                "what the wrapper cannot parse runs as admitted");
        String ordered = SqlGuard.admit(PARSER.get(), "SELECT range AS x FROM range(200000) ORDER BY hash(range) DESC").page(0, 50000);
        try (var st = PARSER.get().createStatement(); var rs = st.executeQuery(ordered);
                var st2 = PARSER.get().createStatement();
                var ref = st2.executeQuery("SELECT range FROM range(200000) ORDER BY hash(range) DESC LIMIT 50001")) {
            int n = 0;
            while (rs.next()) {
                assertTrue(ref.next());
                assertEquals(ref.getLong(1), rs.getLong(1), "order kept under the outer LIMIT at row " + n);
                n++;
            }
            assertEquals(50001, n);
        }
    }
}
