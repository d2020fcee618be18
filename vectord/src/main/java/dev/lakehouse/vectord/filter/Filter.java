package dev.lakehouse.vectord.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A parsed metadata filter (built by {@link FilterParser}, so every node here is valid). Fields are top-level
 * metadata keys or dotted paths into nested objects; a field holding an array matches when any element does.
 */
public sealed interface Filter {
    boolean test(JsonNode metadata);

    /** The value at {@code path}, or null when it is absent or JSON null. */
    static JsonNode at(JsonNode metadata, List<String> path) {
        JsonNode n = metadata;
        for (String p : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() ? null : n;
    }

    /** Applies {@code one} to a value, or to each element of an array value. */
    static boolean any(JsonNode v, java.util.function.Predicate<JsonNode> one) {
        if (v == null) {
            return false;
        }
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (one.test(e)) {
                    return true;
                }
            }
            return false;
        }
        return one.test(v);
    }

    record And(List<Filter> all) implements Filter {
        public boolean test(JsonNode m) {
            for (Filter f : all) {
                if (!f.test(m)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(List<Filter> any) implements Filter {
        public boolean test(JsonNode m) {
            for (Filter f : any) {
                if (f.test(m)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(Filter inner) implements Filter {
        public boolean test(JsonNode m) {
            return !inner.test(m);
        }
    }

    /** Equality with one of {@code values} (strings exactly, numbers by value, booleans). */
    record In(List<String> path, List<Scalar> values) implements Filter {
        public boolean test(JsonNode m) {
            return any(at(m, path), v -> {
                for (Scalar s : values) {
                    if (s.matches(v)) {
                        return true;
                    }
                }
                return false;
            });
        }
    }

    /** Bounds on numbers (or on ISO dates, compared as instants); a null bound is open. */
    record Range(List<String> path, boolean dates, Double gt, Double gte, Double lt, Double lte) implements Filter {
        public boolean test(JsonNode m) {
            return any(at(m, path), v -> {
                Double x = dates ? (v.isTextual() ? Dates.epochMillis(v.asText()) : null)
                        : (v.isNumber() ? v.asDouble() : null);
                return x != null && (gt == null || x > gt) && (gte == null || x >= gte)
                        && (lt == null || x < lt) && (lte == null || x <= lte);
            });
        }
    }

    record Exists(List<String> path) implements Filter {
        public boolean test(JsonNode m) {
            return at(m, path) != null;
        }
    }

    /** A literal a field is compared with. */
    record Scalar(String text, Double number, Boolean bool) {
        boolean matches(JsonNode v) {
            if (text != null) {
                return v.isTextual() && v.asText().equals(text);
            }
            if (number != null) {
                return v.isNumber() && v.asDouble() == number;
            }
            return v.isBoolean() && v.asBoolean() == bool;
        }
    }
}
