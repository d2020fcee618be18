package dev.lakehouse.vectord.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a user's filter, strictly: an unknown operator, a value of the wrong type or a malformed bound is a
 * 400 {@code bad_filter} naming it (never a filter that quietly matches nothing). Two spellings of one tree:
 * JSON ({@code {"and":[{"eq":{"city":"Austin"}},{"range":{"rate":{"lt":80}}}]}}) and the SQL-like text
 * {@link FilterText} reads ({@code city = 'Austin' AND rate < 80}, what {@code vector_search()} passes on).
 */
public final class FilterParser {
    public static final int MAX_NODES = 256;
    static final List<String> OPERATORS = List.of("and", "or", "not", "eq", "in", "range", "exists");
    static final List<String> BOUNDS = List.of("gt", "gte", "lt", "lte");

    private int nodes;

    private FilterParser() {}

    /** The filter in {@code node}: a JSON object, or a string in the text syntax; null for none. */
    public static Filter parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return FilterText.parse(node.asText());
        }
        return new FilterParser().object(node, "filter");
    }

    static BadRequest bad(String message, Map<String, Object> extra) {
        Map<String, Object> d = new LinkedHashMap<>(extra);
        d.put("code", ErrorCodes.BAD_FILTER);
        return new BadRequest("filter: " + message, d);
    }

    static List<String> path(String field) {
        if (field.isEmpty() || field.startsWith(".") || field.endsWith(".") || field.contains("..")) {
            throw bad("field name '" + field + "' is not a key or a dotted path", Map.of("field", field));
        }
        return List.of(field.split("\\."));
    }

    private Filter object(JsonNode node, String where) {
        if (++nodes > MAX_NODES) {
            throw bad("more than " + MAX_NODES + " operators", Map.of());
        }
        if (!node.isObject() || node.isEmpty()) {
            throw bad(where + " must be a non-empty JSON object of operators " + OPERATORS, Map.of());
        }
        List<Filter> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            parts.add(operator(e.getKey(), e.getValue()));
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private Filter operator(String op, JsonNode v) {
        switch (op) {
            case "and", "or" -> {
                if (!v.isArray() || v.isEmpty()) {
                    throw bad("'" + op + "' takes a non-empty array of filters", Map.of("operator", op));
                }
                List<Filter> fs = new ArrayList<>();
                for (JsonNode f : v) {
                    fs.add(object(f, "each element of '" + op + "'"));
                }
                return op.equals("and") ? new Filter.And(fs) : new Filter.Or(fs);
            }
            case "not" -> {
                return new Filter.Not(object(v, "'not'"));
            }
            case "exists" -> {
                if (!v.isTextual()) {
                    throw bad("'exists' takes a field name (a string)", Map.of("operator", op));
                }
                return new Filter.Exists(path(v.asText()));
            }
            case "eq", "in", "range" -> {
                if (!v.isObject() || v.isEmpty()) {
                    throw bad("'" + op + "' takes an object of field: " + (op.equals("range") ? "{gt,gte,lt,lte}" : op.equals("in") ? "[values]" : "value"),
                            Map.of("operator", op));
                }
                List<Filter> fs = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    fs.add(field(op, e.getKey(), e.getValue()));
                }
                return fs.size() == 1 ? fs.get(0) : new Filter.And(fs);
            }
            default -> throw bad("unknown operator '" + op + "' (operators: " + OPERATORS + ")", Map.of("operator", op));
        }
    }

    private static Filter field(String op, String field, JsonNode v) {
        List<String> path = path(field);
        if (op.equals("eq")) {
            return new Filter.In(path, List.of(scalar(op, field, v)));
        }
        if (op.equals("in")) {
            if (!v.isArray() || v.isEmpty()) {
                throw bad("'in' on field '" + field + "' takes a non-empty array of values", Map.of("operator", op, "field", field));
            }
            List<Filter.Scalar> values = new ArrayList<>();
            for (JsonNode e : v) {
                values.add(scalar(op, field, e));
            }
            return new Filter.In(path, values);
        }
        if (!v.isObject() || v.isEmpty()) {
            throw bad("'range' on field '" + field + "' takes an object of bounds " + BOUNDS, Map.of("operator", op, "field", field));
        }
        Double[] b = new Double[4];
        Boolean dates = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int i = BOUNDS.indexOf(e.getKey());
            if (i < 0) {
                throw bad("unknown range bound '" + e.getKey() + "' on field '" + field + "' (bounds: " + BOUNDS + ")",
                        Map.of("operator", e.getKey(), "field", field));
            }
            JsonNode x = e.getValue();
            boolean isDate = x.isTextual();
            Double value = x.isNumber() ? Double.valueOf(x.asDouble()) : isDate ? Dates.epochMillis(x.asText()) : null;
            if (value == null || value.isNaN() || value.isInfinite()) {
                throw bad("range bound '" + e.getKey() + "' on field '" + field + "' must be a number or an ISO date (got "
                        + x.getNodeType().name().toLowerCase() + (x.isTextual() ? " '" + x.asText() + "'" : "") + ")",
                        Map.of("operator", e.getKey(), "field", field));
            }
            if (dates != null && dates != isDate) {
                throw bad("range on field '" + field + "' mixes number and date bounds", Map.of("operator", "range", "field", field));
            }
            dates = isDate;
            b[i] = value;
        }
        return new Filter.Range(path, dates, b[0], b[1], b[2], b[3]);
    }

    static Filter.Scalar scalar(String op, String field, JsonNode v) {
        if (v.isTextual()) {
            return new Filter.Scalar(v.asText(), null, null);
        }
        if (v.isNumber()) {
            return new Filter.Scalar(null, v.asDouble(), null);
        }
        if (v.isBoolean()) {
            return new Filter.Scalar(null, null, v.asBoolean());
        }
        throw bad("'" + op + "' on field '" + field + "' compares with a string, number or boolean, not "
                + v.getNodeType().name().toLowerCase(), Map.of("operator", op, "field", field));
    }
}
