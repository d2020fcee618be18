package dev.lakehouse.queryd.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.common.client.VectorsClient;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.queryd.admission.SqlGuard;
import java.math.BigDecimal;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code vector_search(index, text | [vector], k => 10, ef => 64, filter => '...', mode => 'dense')} as a table
 * in any SELECT (ADR 0025). It is no DuckDB table function: before the guard sees the statement, each call is
 * answered by vectord's filtered search, and the call is replaced in DuckDB's own parse tree by the answer as a
 * {@code VALUES} list with the columns {@code id VARCHAR, score DOUBLE, rank INTEGER, metadata JSON}; DuckDB
 * turns the tree back into SQL ({@code json_deserialize_sql}). So the engine's lock-down is unchanged (no new
 * table function, no network from DuckDB) and the guard checks the rewritten statement as any other.
 * Arguments must be literals: the search runs before the statement does.
 */
public final class VectorSearch {
    public static final String FUNCTION = "vector_search";
    static final Pattern INDEX_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    static final int MAX_CALLS = 8;
    /** What the answers may add to a statement (the guard admits statements up to 1 MiB). */
    static final int MAX_ANSWER_CHARS = 900 * 1024;

    private final VectorsClient vectord;

    public VectorSearch(VectorsClient vectord) {
        this.vectord = vectord;
    }

    /** The statement with every vector_search call answered, or {@code sql} itself when it has none. */
    public String rewrite(Connection parser, String sql) {
        if (sql == null || !sql.toLowerCase(Locale.ROOT).contains(FUNCTION)) {
            return sql;
        }
        JsonNode ast = SqlGuard.serialize(parser, sql);
        if (ast.path("error").asBoolean(false)) {
            return sql; // the guard reports the syntax error
        }
        List<ObjectNode> calls = new ArrayList<>();
        find(ast, calls);
        if (calls.isEmpty()) {
            return sql;
        }
        if (calls.size() > MAX_CALLS) {
            throw bad("a statement may call " + FUNCTION + " at most " + MAX_CALLS + " times (got " + calls.size() + ")");
        }
        int added = 0;
        for (ObjectNode call : calls) {
            String values = answer(call);
            added += values.length();
            if (added > MAX_ANSWER_CHARS) {
                throw bad(FUNCTION + " answers are too large to inline (" + added + " characters); ask for a smaller k");
            }
            JsonNode replacement = SqlGuard.serialize(parser, "SELECT * FROM " + values).path("statements").get(0)
                    .path("node").path("from_table");
            ObjectNode node = ((ObjectNode) replacement).deepCopy();
            String alias = call.path("alias").asText("");
            node.put("alias", alias.isEmpty() ? FUNCTION : alias);
            if (call.path("column_name_alias").size() > 0) {
                node.set("column_name_alias", call.get("column_name_alias"));
            }
            call.removeAll();
            call.setAll(node);
        }
        return deserialize(parser, ast);
    }

    private static void find(JsonNode node, List<ObjectNode> out) {
        if (node.isObject()) {
            if ("TABLE_FUNCTION".equals(node.path("type").asText())
                    && FUNCTION.equalsIgnoreCase(node.path("function").path("function_name").asText())) {
                out.add((ObjectNode) node);
                return;
            }
        }
        for (JsonNode child : node) {
            find(child, out);
        }
    }

    /** Calls vectord for one call and renders its hits as a VALUES table. */
    private String answer(ObjectNode call) {
        JsonNode args = call.path("function").path("children");
        List<JsonNode> positional = new ArrayList<>();
        Map<String, Object> body = new LinkedHashMap<>();
        for (JsonNode a : args) {
            String name = a.path("alias").asText("");
            if (name.isEmpty()) {
                positional.add(a);
                continue;
            }
            switch (name.toLowerCase(Locale.ROOT)) {
                case "k", "ef" -> body.put(name.toLowerCase(Locale.ROOT), integer(name, a));
                case "filter", "mode" -> body.put(name.toLowerCase(Locale.ROOT), text(name, a));
                default -> throw bad(FUNCTION + " has no parameter '" + name + "' (it takes index, query, k, ef, filter, mode)");
            }
        }
        if (positional.size() != 2) {
            throw bad(FUNCTION + " takes an index name and a query (a text or a vector literal), then named k, ef,"
                    + " filter, mode; got " + positional.size() + " positional arguments");
        }
        String index = text("index", positional.get(0));
        JsonNode q = positional.get(1);
        if (isList(q)) {
            body.put("vector", vector(q));
        } else {
            body.put("text", text("query", q));
        }
        if (!INDEX_NAME.matcher(index).matches()) {
            throw new NotFound(FUNCTION + ": no vector index '" + index + "'",
                    Map.of("code", ErrorCodes.INDEX_NOT_FOUND, "index", index));
        }
        VectorsClient.Hits hits;
        try {
            hits = vectord.search(index, body);
        } catch (ApiException e) {
            throw e.status() >= 500 ? e : passOn(e);
        }
        return values(hits.hits());
    }

    /** vectord's 4xx (404 no such index, 400 bad filter, 409 failed index) with the function named, status and code kept. */
    private static ApiException passOn(ApiException e) {
        Map<String, Object> details = new LinkedHashMap<>(e.details());
        details.put("function", FUNCTION);
        String message = FUNCTION + ": " + e.getMessage();
        return dev.lakehouse.common.error.ErrorHandlers.forStatus(e.status(), message, details, null);
    }

    static String values(List<VectorsClient.Hit> hits) {
        String columns = " AS vs(id, score, rank, metadata)";
        if (hits.isEmpty()) {
            return "(SELECT NULL::VARCHAR, NULL::DOUBLE, NULL::INTEGER, NULL::JSON WHERE false)" + columns;
        }
        StringBuilder b = new StringBuilder("(VALUES ");
        for (int i = 0; i < hits.size(); i++) {
            VectorsClient.Hit h = hits.get(i);
            b.append(i == 0 ? "(" : ", (").append(quote(h.id())).append("::VARCHAR, ")
                    .append(Float.isFinite(h.score()) ? Float.toString(h.score()) : "NULL").append("::DOUBLE, ")
                    .append(i + 1).append("::INTEGER, ")
                    .append(h.metadata() == null || h.metadata().isNull() ? "NULL" : quote(Json.write(h.metadata())))
                    .append("::JSON)");
        }
        return b.append(")").append(columns).toString();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static boolean isList(JsonNode a) {
        String fn = a.path("function_name").asText("");
        return "FUNCTION".equals(a.path("class").asText()) && (fn.equals("list_value") || fn.equals("array_value"));
    }

    private static float[] vector(JsonNode a) {
        JsonNode children = a.path("children");
        float[] v = new float[children.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = number("vector", children.get(i)).floatValue();
        }
        return v;
    }

    private static String text(String what, JsonNode a) {
        JsonNode v = a.path("value");
        if (!"CONSTANT".equals(a.path("class").asText()) || !"VARCHAR".equals(v.path("type").path("id").asText())
                || v.path("is_null").asBoolean()) {
            throw bad(FUNCTION + ": " + what + " must be a string literal");
        }
        return v.path("value").asText();
    }

    private static int integer(String what, JsonNode a) {
        BigDecimal n = number(what, a);
        try {
            return n.intValueExact();
        } catch (ArithmeticException e) {
            throw bad(FUNCTION + ": " + what + " must be an integer literal (got " + n + ")");
        }
    }

    /** A numeric literal as DuckDB's parser stored it (a DECIMAL as its unscaled value and scale). */
    private static BigDecimal number(String what, JsonNode a) {
        JsonNode v = a.path("value");
        String type = v.path("type").path("id").asText();
        if (!"CONSTANT".equals(a.path("class").asText()) || v.path("is_null").asBoolean()) {
            throw bad(FUNCTION + ": " + what + " must be a numeric literal");
        }
        return switch (type) {
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER", "DOUBLE", "FLOAT" ->
                    new BigDecimal(v.path("value").asText());
            case "DECIMAL" -> new BigDecimal(new java.math.BigInteger(v.path("value").asText()),
                    v.path("type").path("type_info").path("scale").asInt());
            default -> throw bad(FUNCTION + ": " + what + " must be a numeric literal (got " + type + ")");
        };
    }

    private static BadRequest bad(String message) {
        return new BadRequest(message, Map.of("code", ErrorCodes.BAD_VECTOR_SEARCH));
    }

    private static String deserialize(Connection parser, JsonNode ast) {
        return SqlGuard.deserialize(parser, ast, "cannot render the statement after " + FUNCTION, ErrorCodes.BAD_VECTOR_SEARCH);
    }
}
