package dev.lakehouse.queryd.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The PIVOT statement without an IN list ({@code PIVOT t ON col USING ...}), as one read-only statement. DuckDB
 * itself runs it as two (a {@code CREATE TYPE ... AS ENUM} of the column's distinct values, then the pivot), which
 * queryd does not run (ADR 0033). So queryd does the first step itself: each {@code ON} item without {@code IN} gets
 * a placeholder {@code IN ('<nonce>')}, DuckDB's parser finds the pivot's source and column in the placeholder form
 * (no hand-written grammar decides what they are), and {@link #distinctQuery} reads the values the way DuckDB's
 * enum does ({@code CAST(col AS VARCHAR)}, NULL left out, sorted as text) on the query's own pinned views; then
 * {@link Plan#complete} writes them in as the IN list. The placeholder form is what the guard admits.
 */
public final class PivotValues {
    private static final Pattern PIVOT = Pattern.compile("(?<![A-Za-z0-9_])PIVOT(?![A-Za-z0-9_])", Pattern.CASE_INSENSITIVE);
    /** Where an ON list ends: the next clause of the PIVOT statement, or the statement around it. */
    private static final List<String> ON_LIST_ENDS = List.of("USING", "GROUP", "ORDER", "LIMIT", "OFFSET", "UNION",
            "INTERSECT", "EXCEPT");

    private PivotValues() {}

    /**
     * A PIVOT statement whose values queryd must find: the admissible placeholder form and, per placeholder, the
     * query of its values.
     */
    public record Plan(String placeholder, List<String> nonces, List<String> distinctQueries, List<String> columns) {
        /** The statement with the values of each ON item listed; refused when there are none or too many. */
        public String complete(List<List<String>> values, int maxValues) {
            String sql = placeholder;
            for (int i = 0; i < nonces.size(); i++) {
                List<String> v = values.get(i);
                if (v.size() > maxValues) {
                    throw new BadRequest("PIVOT ON " + columns.get(i) + ": more than " + maxValues + " distinct values"
                            + " (queryd.pivot_max_values); list the ones you want: ON " + columns.get(i)
                            + " IN ('a', 'b')", Map.of("code", ErrorCodes.PIVOT_TOO_MANY_VALUES, "max_values", maxValues,
                            "column", columns.get(i)));
                }
                if (v.isEmpty()) {
                    throw new BadRequest("PIVOT ON " + columns.get(i) + ": the column has no non-NULL value, so there is"
                            + " no column to pivot into; list the values: ON " + columns.get(i) + " IN ('a', 'b')",
                            Map.of("code", ErrorCodes.PIVOT_NO_VALUES, "column", columns.get(i)));
                }
                StringBuilder in = new StringBuilder();
                for (String value : v) {
                    in.append(in.isEmpty() ? "" : ", ").append('\'').append(value.replace("'", "''")).append('\'');
                }
                sql = sql.replace("'" + nonces.get(i) + "'", in.toString());
            }
            return sql;
        }
    }

    /**
     * The plan for {@code sql} when it is a PIVOT with an ON item without IN list that DuckDB's parser accepts once
     * a placeholder list is added; {@code null} otherwise (the guard then judges {@code sql} as it is).
     */
    public static Plan plan(Connection parser, String sql) {
        if (sql == null || !PIVOT.matcher(sql).find()) {
            return null;
        }
        JsonNode asIs = SqlGuard.serialize(parser, sql);
        if (!asIs.path("error").asBoolean(false) || !"not implemented".equals(asIs.path("error_type").asText())) {
            return null;
        }
        // the same for the same text, so the admitted-statement cache keeps one placeholder form per statement
        String nonce = "__lakehouse_pivot_value_";
        if (sql.contains(nonce)) {
            return null;
        }
        List<String> nonces = new ArrayList<>();
        String placeholder = insertPlaceholders(sql, nonce, nonces);
        if (nonces.isEmpty()) {
            return null;
        }
        JsonNode ast = SqlGuard.serialize(parser, placeholder);
        if (ast.path("error").asBoolean(false) || ast.path("statements").size() != 1) {
            return null;
        }
        JsonNode statement = ast.path("statements").get(0).path("node");
        List<String> queries = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (String n : nonces) {
            ObjectNode[] found = new ObjectNode[2];
            findPivot(statement, n, found);
            if (found[0] == null || found[1].path("pivot_expressions").size() != 1) {
                return null; // the placeholder landed somewhere else than an ON item: not ours to rewrite
            }
            JsonNode expression = found[1].path("pivot_expressions").get(0);
            queries.add(distinctQuery(parser, statement.path("cte_map"), found[0].path("source"), expression));
            columns.add(render(parser, expression));
        }
        return new Plan(placeholder, List.copyOf(nonces), List.copyOf(queries), List.copyOf(columns));
    }

    /**
     * {@code SELECT DISTINCT CAST(e AS VARCHAR) FROM source WHERE e IS NOT NULL ORDER BY 1} as DuckDB's parse tree
     * turned back into SQL, with the statement's CTEs (a pivot's source may be one of them).
     */
    private static String distinctQuery(Connection parser, JsonNode cteMap, JsonNode source, JsonNode expression) {
        JsonNode template = SqlGuard.serialize(parser,
                "SELECT DISTINCT CAST(__pivot_e AS VARCHAR) FROM __pivot_src WHERE __pivot_e IS NOT NULL ORDER BY 1");
        ObjectNode node = (ObjectNode) template.path("statements").get(0).path("node");
        replace(node, source, expression);
        node.set("cte_map", cteMap.deepCopy());
        return deserialize(parser, template);
    }

    /** The column as DuckDB writes it back (for error messages). */
    private static String render(Connection parser, JsonNode expression) {
        JsonNode template = SqlGuard.serialize(parser, "SELECT __pivot_e");
        ArrayNode list = (ArrayNode) template.path("statements").get(0).path("node").path("select_list");
        list.set(0, expression.deepCopy());
        return deserialize(parser, template).replaceFirst("^SELECT\\s+", "");
    }

    private static void replace(JsonNode node, JsonNode source, JsonNode expression) {
        if (node instanceof ObjectNode obj) {
            obj.fields().forEachRemaining(e -> {
                JsonNode child = e.getValue();
                if (isRef(child, "COLUMN_REF", "__pivot_e")) {
                    e.setValue(expression.deepCopy());
                } else if (isRef(child, "BASE_TABLE", "__pivot_src")) {
                    e.setValue(source.deepCopy());
                } else {
                    replace(child, source, expression);
                }
            });
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                if (isRef(arr.get(i), "COLUMN_REF", "__pivot_e")) {
                    arr.set(i, expression.deepCopy());
                } else {
                    replace(arr.get(i), source, expression);
                }
            }
        }
    }

    private static boolean isRef(JsonNode n, String type, String name) {
        if (!n.isObject() || !type.equals(n.path("type").asText())) {
            return false;
        }
        return type.equals("BASE_TABLE") ? name.equals(n.path("table_name").asText())
                : n.path("column_names").size() == 1 && name.equals(n.path("column_names").get(0).asText());
    }

    /** Finds the PIVOT node and its pivot whose only entry is the placeholder {@code nonce}. */
    private static void findPivot(JsonNode node, String nonce, ObjectNode[] out) {
        if (out[0] != null) {
            return;
        }
        if (node.isObject() && "PIVOT".equals(node.path("type").asText())) {
            for (JsonNode p : node.path("pivots")) {
                JsonNode entries = p.path("entries");
                if (entries.size() == 1 && entries.get(0).path("values").size() == 1
                        && nonce.equals(entries.get(0).path("values").get(0).path("value").asText())) {
                    out[0] = (ObjectNode) node;
                    out[1] = (ObjectNode) p;
                    return;
                }
            }
        }
        for (JsonNode child : node) {
            findPivot(child, nonce, out);
        }
    }

    /**
     * Appends {@code IN ('<nonce><i>')} to each item of each PIVOT's ON list that has no IN. A scan that only knows
     * quotes, comments and parentheses: DuckDB's parse of the result checks where the placeholders landed.
     */
    static String insertPlaceholders(String sql, String nonce, List<String> nonces) {
        List<Integer> inserts = new ArrayList<>();
        List<int[]> pivots = new ArrayList<>(); // [depth] of PIVOT keywords waiting for their ON
        int depth = 0;
        int itemStart = -1; // inside an ON list: where the current item starts
        int onDepth = -1;
        boolean itemHasIn = false;
        int i = 0;
        while (i <= sql.length()) {
            char c = i < sql.length() ? sql.charAt(i) : ';';
            if (onDepth >= 0 && depth == onDepth && (c == ',' || c == ';' || (c == ')')
                    || (Character.isLetter(c) && ON_LIST_ENDS.contains(word(sql, i))))) {
                if (!itemHasIn) {
                    inserts.add(trimEnd(sql, i));
                }
                itemHasIn = false;
                if (c != ',') {
                    onDepth = -1;
                }
            }
            if (i == sql.length()) {
                break;
            }
            if (c == '\'' || c == '"') {
                int end = sql.indexOf(c, i + 1);
                while (end >= 0 && end + 1 < sql.length() && sql.charAt(end + 1) == c) {
                    end = sql.indexOf(c, end + 2);
                }
                i = end < 0 ? sql.length() : end + 1;
                continue;
            }
            if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
                continue;
            }
            if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (Character.isLetter(c) || c == '_') {
                String w = word(sql, i);
                if (w.equals("PIVOT") && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)))) {
                    pivots.add(new int[] {depth});
                } else if (w.equals("ON") && !pivots.isEmpty() && pivots.get(pivots.size() - 1)[0] == depth) {
                    pivots.remove(pivots.size() - 1);
                    onDepth = depth;
                    itemHasIn = false;
                } else if (w.equals("IN") && onDepth == depth) {
                    itemHasIn = true;
                }
                i += w.length();
                continue;
            }
            i++;
        }
        StringBuilder out = new StringBuilder(sql);
        for (int k = inserts.size() - 1; k >= 0; k--) {
            String n = nonce + k;
            nonces.add(0, n);
            out.insert(inserts.get(k), " IN ('" + n + "')");
        }
        return out.toString();
    }

    /** The identifier-like word at {@code i}, upper-cased. */
    private static String word(String sql, int i) {
        int end = i;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        return sql.substring(i, end).toUpperCase(Locale.ROOT);
    }

    private static int trimEnd(String sql, int i) {
        while (i > 0 && Character.isWhitespace(sql.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static String deserialize(Connection parser, JsonNode ast) {
        return SqlGuard.deserialize(parser, ast, "cannot render the PIVOT's value query", ErrorCodes.PIVOT_NEEDS_IN_LIST);
    }
}
