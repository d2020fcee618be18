package dev.lakehouse.ingestd.csv;

import dev.lakehouse.common.ColumnTypes;
import dev.lakehouse.common.error.BadRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How a CSV is laid out. {@link Overrides} are what the client said (query parameters, each optional); DuckDB's
 * sniffer fills in the rest ({@link DuckCsv#sniff}) and the resulting dialect is read with detection off, so
 * the file is parsed exactly as reported in the 201 body. Strings are as DuckDB's read_csv takes them; an empty
 * quote or escape means none.
 */
public record CsvDialect(String delimiter, String quote, String escape, String newLine, String comment, boolean header,
        int skip, String nullString, boolean nullPadding, String dateFormat, String timestampFormat,
        String decimalSeparator) {

    /** Client-given parts of a dialect (null = sniff it) and declared column types. */
    public record Overrides(String delimiter, String quote, String escape, Boolean header, Integer skip, String nullString,
            Boolean nullPadding, String dateFormat, String timestampFormat, String decimalSeparator,
            Map<String, String> types) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, null, null, null, Map.of());

        /** Whether nothing but {@code type=} was given (what an NDJSON body takes too). */
        public boolean onlyTypes() {
            return new Overrides(delimiter, quote, escape, header, skip, nullString, nullPadding, dateFormat,
                    timestampFormat, decimalSeparator, Map.of()).equals(NONE);
        }

        /** Parses the query parameters {@code delimiter, quote, escape, header, skip, null, null_padding,
         *  date_format, timestamp_format, decimal_separator} and {@code type=name:TYPE} (repeatable); 400 on a bad one. */
        public static Overrides fromQuery(Function<String, String> param, List<String> typeParams) {
            Map<String, String> types = new LinkedHashMap<>();
            for (String t : typeParams) {
                int colon = t.lastIndexOf(':');
                String type = colon <= 0 ? null : ColumnTypes.canonical(t.substring(colon + 1));
                if (type == null) {
                    throw new BadRequest("type must be name:TYPE with TYPE one of " + ColumnTypes.ALL + ", got '" + t + "'",
                            Map.of("code", "bad_parameter", "parameter", "type"));
                }
                types.put(t.substring(0, colon), type);
            }
            return new Overrides(chars(param, "delimiter", 1, 4), chars(param, "quote", 0, 1),
                    chars(param, "escape", 0, 1), bool(param, "header"), skip(param), chars(param, "null", 0, 64),
                    bool(param, "null_padding"), chars(param, "date_format", 1, 64),
                    chars(param, "timestamp_format", 1, 64), separator(param), Map.copyOf(types));
        }

        private static String chars(Function<String, String> param, String name, int min, int max) {
            String v = param.apply(name);
            if (v == null) {
                return null;
            }
            int bytes = v.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < min || bytes > max || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                throw bad(name, "must be " + min + " to " + max + " bytes without a line break, got '" + v + "'");
            }
            return v;
        }

        private static Boolean bool(Function<String, String> param, String name) {
            String v = param.apply(name);
            if (v == null) {
                return null;
            }
            return switch (v) {
                case "true" -> true;
                case "false" -> false;
                default -> throw bad(name, "must be true or false, got '" + v + "'");
            };
        }

        private static Integer skip(Function<String, String> param) {
            String v = param.apply("skip");
            if (v == null) {
                return null;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= 0 && n <= 1_000_000) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw bad("skip", "must be a number of lines from 0 to 1000000, got '" + v + "'");
        }

        private static String separator(Function<String, String> param) {
            String v = param.apply("decimal_separator");
            if (v != null && !v.equals(".") && !v.equals(",")) {
                throw bad("decimal_separator", "must be '.' or ',', got '" + v + "'");
            }
            return v;
        }

        private static BadRequest bad(String name, String what) {
            return new BadRequest(name + " " + what, Map.of("code", "bad_parameter", "parameter", name));
        }
    }

    /** The single byte of a one-byte delimiter/quote/escape, or -1 (none, or longer than a byte). */
    public static int singleByte(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length == 1 ? b[0] & 0xff : -1;
    }

    /** The dialect as reported to the client (the 201 body's {@code dialect}). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delimiter", delimiter);
        m.put("quote", quote);
        m.put("escape", escape);
        m.put("new_line", newLine);
        m.put("comment", comment);
        m.put("header", header);
        m.put("skip", skip);
        m.put("null", nullString);
        m.put("null_padding", nullPadding);
        if (dateFormat != null) {
            m.put("date_format", dateFormat);
        }
        if (timestampFormat != null) {
            m.put("timestamp_format", timestampFormat);
        }
        m.put("decimal_separator", decimalSeparator);
        return m;
    }
}
