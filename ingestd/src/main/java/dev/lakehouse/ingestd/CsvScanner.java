package dev.lakehouse.ingestd;

import dev.lakehouse.common.error.BadRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The CSV dialect ingestd accepts (RFC 4180: comma, double quotes, {@code ""} inside quotes, LF or CRLF, blank
 * lines ignored), checked in Java where a precise line number is needed: the header row, and — only after
 * DuckDB rejected a file — the first structural error (ragged row, bad quoting). Lines count from 1 (the header).
 */
final class CsvScanner {
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private CsvScanner() {}

    /** The header's column names; 400 if the file is empty, or a name is blank or repeated. */
    static List<String> header(Path csv) throws IOException {
        List<String> names = new ArrayList<>();
        boolean inQuotes = false;
        boolean any = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(csv))) {
            java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
            int n = 0;
            int b;
            while ((b = in.read()) != -1) {
                if (++n > MAX_HEADER_BYTES) {
                    throw new BadRequest("line 1: header row longer than " + MAX_HEADER_BYTES + " bytes", Map.of("line", 1));
                }
                any = true;
                if (inQuotes) {
                    if (b == '"') {
                        in.mark(1);
                        int next = in.read();
                        if (next == '"') {
                            cur.write('"');
                        } else {
                            inQuotes = false;
                            if (next != -1) {
                                in.reset();
                            }
                        }
                    } else {
                        cur.write(b);
                    }
                } else if (b == '"') {
                    inQuotes = true;
                } else if (b == ',') {
                    names.add(cur.toString(StandardCharsets.UTF_8));
                    cur.reset();
                } else if (b == '\n') {
                    break;
                } else if (b != '\r') {
                    cur.write(b);
                }
            }
            if (!any) {
                throw new BadRequest("line 1: empty CSV body (a header row is required)", Map.of("line", 1));
            }
            if (inQuotes) {
                throw new BadRequest("line 1: unterminated quoted field in the header", Map.of("line", 1));
            }
            names.add(cur.toString(StandardCharsets.UTF_8));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = i == 0 && names.get(0).startsWith("\uFEFF") ? names.get(0).substring(1) : names.get(i);
            if (name.isBlank()) {
                throw new BadRequest("line 1: header column " + (i + 1) + " has no name", Map.of("line", 1));
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw new BadRequest("line 1: duplicate column '" + name + "' in the header", Map.of("line", 1));
            }
            names.set(i, name);
        }
        return names;
    }

    /** The first structural error of the file as a 400 naming its line, or null if the structure is sound. */
    static BadRequest firstError(Path csv) throws IOException {
        long line = 1;
        long recordLine = 1;
        long quoteLine = 0;
        int fields = 1;
        int expected = -1;
        boolean inQuotes = false;
        boolean afterQuote = false;
        boolean fieldStart = true;
        boolean recordEmpty = true;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(csv), 1 << 16)) {
            int b;
            while ((b = in.read()) != -1) {
                if (inQuotes) {
                    if (b == '"') {
                        inQuotes = false;
                        afterQuote = true;
                    } else if (b == '\n') {
                        line++;
                    }
                    continue;
                }
                if (afterQuote) {
                    afterQuote = false;
                    if (b == '"') { // "" inside a quoted field
                        inQuotes = true;
                        continue;
                    }
                    if (b != ',' && b != '\n' && b != '\r') {
                        return error(line, "unexpected character after a closing quote (quoted field opened on line "
                                + quoteLine + ")");
                    }
                }
                switch (b) {
                    case '"' -> {
                        if (!fieldStart) {
                            return error(line, "quote inside an unquoted field");
                        }
                        inQuotes = true;
                        quoteLine = line;
                        fieldStart = false;
                        recordEmpty = false;
                    }
                    case ',' -> {
                        fields++;
                        fieldStart = true;
                        recordEmpty = false;
                    }
                    case '\r' -> { }
                    case '\n' -> {
                        if (!recordEmpty) {
                            if (expected < 0) {
                                expected = fields;
                            } else if (fields != expected) {
                                return ragged(recordLine, expected, fields);
                            }
                        }
                        line++;
                        recordLine = line;
                        fields = 1;
                        fieldStart = true;
                        recordEmpty = true;
                    }
                    default -> {
                        fieldStart = false;
                        recordEmpty = false;
                    }
                }
            }
        }
        if (inQuotes) {
            return error(quoteLine, "quoted field is never closed");
        }
        if (!recordEmpty && expected >= 0 && fields != expected) {
            return ragged(recordLine, expected, fields);
        }
        return null;
    }

    private static BadRequest ragged(long line, int expected, int found) {
        return new BadRequest("line " + line + ": expected " + expected + " fields (as in the header), found " + found,
                Map.of("line", line, "expected_fields", expected, "found_fields", found));
    }

    private static BadRequest error(long line, String what) {
        return new BadRequest("line " + line + ": " + what, Map.of("line", line));
    }
}
