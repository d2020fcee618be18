package dev.lakehouse.vectord.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SQL-like spelling of a filter, for {@code vector_search(..., filter => '...')} where a JSON object would
 * need escaping: {@code city = 'Austin' AND rate < 80}, {@code skill IN ('java','kafka')},
 * {@code NOT (level = 'junior') OR manager IS NOT NULL}, {@code hired >= '2024-01-01'} (a quoted ISO date
 * on {@code < <= > >=} compares dates). {@code =}/{@code !=}/{@code <>} compare strings, numbers, TRUE/FALSE.
 * Precedence NOT > AND > OR. It builds the same {@link Filter} tree as the JSON form, nothing more.
 */
final class FilterText {
    private final String src;
    private final List<String> tokens = new ArrayList<>();
    private int pos;
    private int nodes;

    private FilterText(String src) {
        this.src = src;
    }

    static Filter parse(String text) {
        if (text.isBlank()) {
            throw FilterParser.bad("the filter text is empty", Map.of());
        }
        FilterText t = new FilterText(text);
        t.lex();
        Filter f = t.or();
        if (t.pos < t.tokens.size()) {
            throw FilterParser.bad("unexpected '" + t.tokens.get(t.pos) + "' in \"" + text + "\"", Map.of("operator", t.tokens.get(t.pos)));
        }
        return f;
    }

    private void lex() {
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder("'");
                i++;
                while (true) {
                    if (i >= src.length()) {
                        throw FilterParser.bad("unterminated string in \"" + src + "\"", Map.of());
                    }
                    char d = src.charAt(i++);
                    if (d == '\'') {
                        if (i < src.length() && src.charAt(i) == '\'') {
                            b.append('\'');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        b.append(d);
                    }
                }
                tokens.add(b.toString());
            } else if ("(),".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if ("=<>!".indexOf(c) >= 0) {
                int j = i + 1;
                if (j < src.length() && "=>".indexOf(src.charAt(j)) >= 0 && c != '=') {
                    j++;
                }
                tokens.add(src.substring(i, j));
                i = j;
            } else {
                int j = i;
                while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j)) || "_.-+".indexOf(src.charAt(j)) >= 0)) {
                    j++;
                }
                if (j == i) {
                    throw FilterParser.bad("unexpected character '" + c + "' in \"" + src + "\"", Map.of("operator", String.valueOf(c)));
                }
                tokens.add(src.substring(i, j));
                i = j;
            }
        }
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : "";
    }

    private boolean keyword(String k) {
        if (peek().equalsIgnoreCase(k)) {
            pos++;
            return true;
        }
        return false;
    }

    private String next(String expected) {
        if (pos >= tokens.size()) {
            throw FilterParser.bad("\"" + src + "\" ends where " + expected + " was expected", Map.of());
        }
        return tokens.get(pos++);
    }

    private void expect(String t) {
        String got = next("'" + t + "'");
        if (!got.equals(t)) {
            throw FilterParser.bad("expected '" + t + "' but found '" + got + "' in \"" + src + "\"", Map.of("operator", got));
        }
    }

    private Filter or() {
        List<Filter> parts = new ArrayList<>(List.of(and()));
        while (keyword("OR")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.Or(parts);
    }

    private Filter and() {
        List<Filter> parts = new ArrayList<>(List.of(unary()));
        while (keyword("AND")) {
            parts.add(unary());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private Filter unary() {
        if (++nodes > FilterParser.MAX_NODES) {
            throw FilterParser.bad("more than " + FilterParser.MAX_NODES + " operators", Map.of());
        }
        if (keyword("NOT")) {
            return new Filter.Not(unary());
        }
        if (peek().equals("(")) {
            pos++;
            Filter f = or();
            expect(")");
            return f;
        }
        return predicate();
    }

    private Filter predicate() {
        String field = next("a field name");
        if (field.startsWith("'") || !Character.isLetter(field.charAt(0)) && field.charAt(0) != '_') {
            throw FilterParser.bad("expected a field name but found '" + field + "' in \"" + src + "\"", Map.of("field", field));
        }
        List<String> path = FilterParser.path(field);
        if (keyword("IS")) {
            boolean not = keyword("NOT");
            String n = next("NULL");
            if (!n.equalsIgnoreCase("NULL")) {
                throw FilterParser.bad("expected NULL after IS on field '" + field + "'", Map.of("operator", "IS " + n, "field", field));
            }
            Filter exists = new Filter.Exists(path);
            return not ? exists : new Filter.Not(exists);
        }
        boolean notIn = keyword("NOT");
        if (keyword("IN")) {
            expect("(");
            List<Filter.Scalar> values = new ArrayList<>();
            do {
                values.add(scalar(field, "IN"));
            } while (peek().equals(",") && next(",") != null);
            expect(")");
            Filter in = new Filter.In(path, values);
            return notIn ? new Filter.Not(in) : in;
        }
        if (notIn) {
            throw FilterParser.bad("expected IN after NOT on field '" + field + "'", Map.of("operator", "NOT", "field", field));
        }
        String op = next("an operator");
        switch (op) {
            case "=", "!=", "<>" -> {
                Filter eq = new Filter.In(path, List.of(scalar(field, op)));
                return op.equals("=") ? eq : new Filter.Not(eq);
            }
            case "<", "<=", ">", ">=" -> {
                String lit = next("a number or a quoted ISO date");
                boolean date = lit.startsWith("'");
                Double v = date ? Dates.epochMillis(lit.substring(1)) : number(lit);
                if (v == null) {
                    throw FilterParser.bad("'" + op + "' on field '" + field + "' compares with a number or a quoted ISO date, not "
                            + lit, Map.of("operator", op, "field", field));
                }
                return new Filter.Range(path, date, op.equals(">") ? v : null, op.equals(">=") ? v : null,
                        op.equals("<") ? v : null, op.equals("<=") ? v : null);
            }
            default -> throw FilterParser.bad("unknown operator '" + op + "' after field '" + field
                    + "' (operators: = != <> < <= > >= IN, NOT IN, IS [NOT] NULL, AND, OR, NOT)", Map.of("operator", op, "field", field));
        }
    }

    private Filter.Scalar scalar(String field, String op) {
        String lit = next("a value");
        if (lit.startsWith("'")) {
            return new Filter.Scalar(lit.substring(1), null, null);
        }
        String u = lit.toUpperCase(Locale.ROOT);
        if (u.equals("TRUE") || u.equals("FALSE")) {
            return new Filter.Scalar(null, null, u.equals("TRUE"));
        }
        Double n = number(lit);
        if (n == null) {
            throw FilterParser.bad("'" + op + "' on field '" + field + "' compares with a quoted string, a number or TRUE/FALSE, not "
                    + lit, Map.of("operator", op, "field", field));
        }
        return new Filter.Scalar(null, n, null);
    }

    private static Double number(String s) {
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
