package dev.lakehouse.queryd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakehouse.common.DatasetNames;
import dev.lakehouse.common.error.BadRequest;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
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
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final int MAX_SQL_CHARS = 1 << 20;

    /** An admitted statement and the names it reads as tables (candidates for dataset views). */
    public record Checked(String sql, boolean explain, Set<String> tables) {}

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
        collectTables(statements.get(0), tables);
        return new Checked(sql, explain, tables);
    }

    private static JsonNode serialize(Connection parser, String sql) {
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

    /** Every unqualified (or main-qualified) base-table name in the tree that could be a dataset. */
    private static void collectTables(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            if ("BASE_TABLE".equals(node.path("type").asText()) && node.has("table_name")) {
                String schema = node.path("schema_name").asText("");
                String catalog = node.path("catalog_name").asText("");
                String name = node.path("table_name").asText().toLowerCase(Locale.ROOT);
                if (catalog.isEmpty() && schema.isEmpty() && DatasetNames.isValid(name)) {
                    out.add(name);
                }
            }
            node.elements().forEachRemaining(child -> collectTables(child, out));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectTables(child, out));
        }
    }
}
