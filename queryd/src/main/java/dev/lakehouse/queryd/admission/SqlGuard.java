package dev.lakehouse.queryd.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.Forbidden;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Admits exactly one read-only statement: a SELECT (incl. WITH ..., VALUES, FROM-first, set operations) or an
 * EXPLAIN of one. DuckDB's own parser decides ({@code json_serialize_sql}, which serializes SELECT statements
 * only), so there is no hand-written SQL grammar to get wrong; everything else — INSTALL, LOAD, ATTACH, COPY,
 * PRAGMA, SET, CREATE, DROP, a second statement — is a 400. The engine lock-down is the second wall behind it.
 */
public final class SqlGuard {
    /**
     * The EXPLAIN header: only blanks before it (no comments, so nothing can hide where it ends), then an optional
     * ANALYZE and an optional {@code (FORMAT x)}. What follows must itself pass as one SELECT.
     */
    private static final Pattern EXPLAIN = Pattern.compile(
            "^\\s*EXPLAIN(?:\\s+ANALY[SZ]E)?(?:\\s*\\(\\s*FORMAT\\s+[a-z]+\\s*\\))?(?=[\\s(])",
            Pattern.CASE_INSENSITIVE);
    /** A PIVOT keyword (not UNPIVOT), for the error of the one form DuckDB cannot run as a single statement. */
    private static final Pattern PIVOT = Pattern.compile("(?<![A-Za-z0-9_])PIVOT(?![A-Za-z0-9_])", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final int MAX_SQL_CHARS = 1 << 20;

    /**
     * An admitted statement, the names it reads as tables (candidates for dataset views), and whether its top level
     * has an ORDER BY (then its order is the user's; else a page orders by all columns, see {@link Admitted#page}).
     */
    public record Checked(String sql, boolean explain, Set<String> tables, boolean ordered, Set<String> ctes,
            boolean discovery) {
        /** The names that must be datasets: read as tables, and not defined by the statement's own WITH. */
        public Set<String> datasetNames() {
            Set<String> names = new TreeSet<>(tables);
            names.removeAll(ctes);
            return names;
        }
    }

    /**
     * The table functions SQL may call: they compute rows from their arguments and touch no file, no setting and
     * no other statement. Everything else that DuckDB offers in FROM ({@code read_parquet}, {@code glob},
     * {@code read_blob}, {@code parquet_metadata}, {@code duckdb_settings}, {@code query}, {@code query_table}, ...,
     * and whatever a new DuckDB version adds) is refused: user SQL sees datasets, never paths (ADR 0014).
     */
    static final Set<String> TABLE_FUNCTIONS = Set.of("range", "generate_series", "unnest", "json_each", "json_tree");
    /** Scalar functions that would show the engine's settings (paths of the cache, the spill directory ...). */
    static final Set<String> DENIED_FUNCTIONS = Set.of("current_setting", "getenv");
    /** Schema-qualified names SQL may read: the dataset catalog as information_schema shows it. */
    static final Set<String> QUALIFIED_TABLES = Set.of("information_schema.tables", "information_schema.columns",
            "information_schema.schemata");

    /**
     * An admitted statement and whether it can be wrapped as a subquery ({@code SELECT * FROM (...) AS q ...}):
     * DuckDB keeps a subquery's ORDER BY under an outer LIMIT. EXPLAIN is left as is; so is the odd statement the
     * wrapper would not parse (e.g. {@code SELECT 1; -- x}).
     */
    public record Admitted(Checked checked, boolean wrappable) {
        /**
         * Rows {@code offset+1 .. offset+size} and one more (which tells the writer that another page follows), so
         * DuckDB never materializes more than the page. An unordered statement is put in the order of all its
         * columns: DuckDB's order of an unordered result may differ from one run to the next, and pages must
         * split one result, not several (rows that tie on every column are the same row).
         */
        public String page(long offset, long size) {
            if (!wrappable) {
                return checked.sql();
            }
            return wrap(checked.sql()) + (checked.ordered() ? "" : " ORDER BY ALL") + " LIMIT " + (size + 1)
                    + (offset > 0 ? " OFFSET " + offset : "");
        }

        /** The first {@code limit} rows, in the statement's own order. */
        public String limited(long limit) {
            return wrappable ? wrap(checked.sql()) + " LIMIT " + limit : checked.sql();
        }

        /**
         * The whole result (for a streamed export), wrapped all the same: rendering selects from it as a subquery,
         * which a trailing {@code ;} would break, and the wrapper gives duplicate column names unique ones.
         */
        public String whole() {
            return wrappable ? wrap(checked.sql()) : checked.sql();
        }
    }

    /** {@link #check} plus the parse of the wrapped form: two runs of DuckDB's parser. */
    public static Admitted admit(Connection parser, String sql) {
        Checked checked = check(parser, sql);
        boolean wrappable = false;
        if (!checked.explain()) {
            try {
                check(parser, wrap(sql) + " LIMIT 1"); // the limit's value does not change whether it parses
                wrappable = true;
            } catch (BadRequest e) {
                wrappable = false;
            }
        }
        return new Admitted(checked, wrappable);
    }

    private static String wrap(String sql) {
        String body = sql.strip();
        while (body.endsWith(";")) {
            body = body.substring(0, body.length() - 1).strip();
        }
        return "SELECT * FROM (\n" + body + "\n) AS q";
    }

    private SqlGuard() {}

    public static Checked check(Connection parser, String sql) {
        if (sql == null || sql.isBlank()) {
            throw new BadRequest("sql is empty");
        }
        if (sql.length() > MAX_SQL_CHARS) {
            throw new BadRequest("sql is longer than " + MAX_SQL_CHARS + " characters");
        }
        String body = sql;
        boolean explain = false;
        Matcher m = EXPLAIN.matcher(sql);
        if (m.find()) {
            explain = true;
            body = sql.substring(m.end());
        }
        JsonNode ast = serialize(parser, body);
        if (ast.path("error").asBoolean(false)) {
            String type = ast.path("error_type").asText("");
            String msg = ast.path("error_message").asText("not a SELECT");
            if (type.equals("not implemented") && PIVOT.matcher(body).find()) {
                // DuckDB plans it as two statements: a CREATE TYPE of the column's distinct values, then the pivot;
                // queryd runs one read-only statement, and a pivot with its values listed is exactly that
                // queryd lists the values itself where it can place them (PivotValues); this is the rest
                throw new BadRequest("PIVOT without an IN list: queryd could not place the column's values in this"
                        + " statement's ON list, and DuckDB would first run a statement of its own (CREATE TYPE ... AS"
                        + " ENUM of the column's distinct values), while queryd runs exactly one read-only statement."
                        + " List the values: PIVOT t ON col IN ('a', 'b') USING count(*), or"
                        + " SELECT * FROM t PIVOT (count(*) FOR col IN ('a', 'b')); SELECT DISTINCT col FROM t finds them",
                        Map.of("code", ErrorCodes.PIVOT_NEEDS_IN_LIST));
            }
            if (type.equals("not implemented")) {
                throw new BadRequest("only a single read-only statement is allowed (SELECT, WITH ... SELECT, EXPLAIN)");
            }
            throw new BadRequest("SQL " + type + " error: " + msg);
        }
        JsonNode statements = ast.path("statements");
        if (statements.size() != 1) {
            throw new BadRequest("exactly one statement is allowed, got " + statements.size());
        }
        Set<String> tables = new TreeSet<>();
        Set<String> ctes = new TreeSet<>();
        collectCtes(statements.get(0), ctes);
        collectTables(statements.get(0), tables, ctes);
        boolean ordered = false;
        for (JsonNode mod : statements.get(0).path("node").path("modifiers")) {
            ordered |= "ORDER_MODIFIER".equals(mod.path("type").asText());
        }
        return new Checked(sql, explain, tables, ordered, ctes, discovers(statements.get(0)));
    }

    /** DuckDB's parse tree of {@code sql} ({@code json_serialize_sql}); also read by queryd's vector_search rewrite. */
    public static JsonNode serialize(Connection parser, String sql) {
        try (PreparedStatement ps = parser.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return PLAIN.readTree(rs.getString(1));
            }
        } catch (SQLException | IOException e) {
            throw new BadRequest("cannot parse SQL: " + e.getMessage());
        }
    }

    /**
     * DuckDB's SQL for a parse tree ({@code json_deserialize_sql}): the rewrites of vector_search and PIVOT values
     * edit the tree, never the text. A tree DuckDB cannot render is a 400 {@code what} with {@code code}.
     */
    public static String deserialize(Connection parser, JsonNode ast, String what, String code) {
        try (PreparedStatement ps = parser.prepareStatement("SELECT json_deserialize_sql(?::JSON)")) {
            ps.setString(1, PLAIN.writeValueAsString(ast));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException | IOException e) {
            throw new BadRequest(what + ": " + e.getMessage(), Map.of("code", code));
        }
    }

    /**
     * True when the statement asks what datasets there are: SHOW TABLES / DESCRIBE (a SHOW_REF) or a read of
     * information_schema. Such a query sees every dataset (as a schema-only view), not only those it names.
     */
    private static boolean discovers(JsonNode node) {
        if (node.isObject()) {
            String type = node.path("type").asText();
            if ("SHOW_REF".equals(type) || ("BASE_TABLE".equals(type)
                    && "information_schema".equalsIgnoreCase(node.path("schema_name").asText("")))) {
                return true;
            }
        }
        for (JsonNode child : node) {
            if (discovers(child)) {
                return true;
            }
        }
        return false;
    }

    private static void collectCtes(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            if (node.has("cte_map")) {
                for (JsonNode e : node.path("cte_map").path("map")) {
                    out.add(e.path("key").asText().toLowerCase(Locale.ROOT));
                }
            }
            node.elements().forEachRemaining(child -> collectCtes(child, out));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectCtes(child, out));
        }
    }

    /**
     * Every unqualified base-table name in the tree that could be a dataset; refuses (403) what would reach past
     * the datasets: a table function outside {@link #TABLE_FUNCTIONS}, a denied scalar function, a path or other
     * name that can be no dataset (DuckDB would scan it as a file), a schema-qualified name outside
     * {@link #QUALIFIED_TABLES}.
     */
    private static void collectTables(JsonNode node, Set<String> out, Set<String> ctes) {
        if (node.isObject()) {
            String type = node.path("type").asText();
            if ("BASE_TABLE".equals(type) && node.has("table_name")) {
                String schema = node.path("schema_name").asText("").toLowerCase(Locale.ROOT);
                String catalog = node.path("catalog_name").asText("");
                String name = node.path("table_name").asText().toLowerCase(Locale.ROOT);
                if (!catalog.isEmpty() || !schema.isEmpty()) {
                    if (!catalog.isEmpty() || !QUALIFIED_TABLES.contains(schema + "." + name)) {
                        throw sandbox("SQL reads datasets by name; " + (catalog.isEmpty() ? "" : catalog + ".")
                                + schema + "." + name + " is not one");
                    }
                } else if (DatasetNames.isValid(name)) {
                    out.add(name);
                } else if (!ctes.contains(name)) {
                    throw sandbox("SQL reads datasets by name, never files or paths: " + name + " is not a dataset name");
                }
            } else if ("TABLE_FUNCTION".equals(type)) {
                String fn = node.path("function").path("function_name").asText().toLowerCase(Locale.ROOT);
                if (!TABLE_FUNCTIONS.contains(fn)) {
                    throw sandbox("table function " + fn + " is not allowed: SQL reads datasets by name, never files,"
                            + " settings or other statements (allowed: " + new TreeSet<>(TABLE_FUNCTIONS) + ")");
                }
            } else if ("FUNCTION".equals(node.path("class").asText())
                    && DENIED_FUNCTIONS.contains(node.path("function_name").asText().toLowerCase(Locale.ROOT))) {
                throw sandbox("function " + node.path("function_name").asText() + " is not allowed: the engine's"
                        + " settings are not part of the data");
            }
            node.elements().forEachRemaining(child -> collectTables(child, out, ctes));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectTables(child, out, ctes));
        }
    }

    private static Forbidden sandbox(String message) {
        return new Forbidden(message, Map.of("code", "sql_sandbox"));
    }
}
