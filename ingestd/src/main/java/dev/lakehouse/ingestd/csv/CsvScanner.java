package dev.lakehouse.ingestd.csv;

import dev.lakehouse.common.error.BadRequest;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
 * The CSV structure checked in Java where a precise line number is needed: the header row, and — only after
 * DuckDB rejected a file — the first structural error (ragged row, bad quoting). Works for a one-byte delimiter,
 * quote and escape ({@link Syntax}); the default is RFC 4180 (comma, {@code "}, {@code ""} inside quotes). Lines
 * count from 1 (the first line of the file, skipped lines included).
 */
public final class CsvScanner {
    private static final int MAX_HEADER_BYTES = 1 << 20;

    /**
     * One-byte delimiter, quote and escape (-1: no quoting; escape = quote: doubled quotes), lines to skip, and
     * whether short rows are padded with NULLs (then only a long row is ragged).
     */
    public record Syntax(int delimiter, int quote, int escape, int skip, boolean nullPadding) {
        static final Syntax RFC4180 = new Syntax(',', '"', '"', 0, false);

        /** The syntax of {@code d}, or null if a part of it is longer than one byte (then DuckDB alone checks). */
        public static Syntax of(CsvDialect d) {
            int delim = CsvDialect.singleByte(d.delimiter());
            int quote = d.quote().isEmpty() ? -1 : CsvDialect.singleByte(d.quote());
            int escape = d.escape().isEmpty() ? quote : CsvDialect.singleByte(d.escape());
            if (delim < 0 || (!d.quote().isEmpty() && quote < 0) || (!d.escape().isEmpty() && escape < 0)) {
                return null;
            }
            return new Syntax(delim, quote, escape, d.skip(), d.nullPadding());
        }
    }

    private CsvScanner() {}

    public static List<String> header(Path csv) throws IOException {
        return header(csv, Syntax.RFC4180);
    }

    /** The header's column names; 400 if the file is empty, or a name is blank or repeated. */
    public static List<String> header(Path csv, Syntax syn) throws IOException {
        List<String> names = new ArrayList<>();
        boolean inQuotes = false;
        boolean any = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(csv))) {
            long headerLine = skipLines(in, syn.skip()) + 1;
            ByteArrayOutputStream cur = new ByteArrayOutputStream();
            int n = 0;
            int b;
            while ((b = in.read()) != -1) {
                if (++n > MAX_HEADER_BYTES) {
                    throw new BadRequest("line " + headerLine + ": header row longer than " + MAX_HEADER_BYTES + " bytes",
                            Map.of("line", headerLine));
                }
                any = true;
                if (inQuotes) {
                    if (b == syn.escape() && syn.escape() != syn.quote()) {
                        int next = in.read();
                        if (next != -1) {
                            cur.write(next);
                        }
                    } else if (b == syn.quote()) {
                        in.mark(1);
                        int next = in.read();
                        if (next == syn.quote() && syn.escape() == syn.quote()) {
                            cur.write(b);
                        } else {
                            inQuotes = false;
                            if (next != -1) {
                                in.reset();
                            }
                        }
                    } else {
                        cur.write(b);
                    }
                } else if (b == syn.quote()) {
                    inQuotes = true;
                } else if (b == syn.delimiter()) {
                    names.add(cur.toString(StandardCharsets.UTF_8));
                    cur.reset();
                } else if (b == '\n') {
                    break;
                } else if (b != '\r') {
                    cur.write(b);
                }
            }
            if (!any) {
                throw new BadRequest("line " + headerLine + ": empty CSV body (a header row is required)",
                        Map.of("line", headerLine, "code", "empty_body"));
            }
            if (inQuotes) {
                throw new BadRequest("line " + headerLine + ": unterminated quoted field in the header", Map.of("line", headerLine));
            }
            names.add(cur.toString(StandardCharsets.UTF_8));
        }
        Set<String> seen = new HashSet<>();
        long line = syn.skip() + 1L;
        for (int i = 0; i < names.size(); i++) {
            String name = i == 0 && names.get(0).startsWith("\uFEFF") ? names.get(0).substring(1) : names.get(i);
            if (name.isBlank()) {
                throw new BadRequest("line " + line + ": header column " + (i + 1) + " has no name", Map.of("line", line));
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw new BadRequest("line " + line + ": duplicate column '" + name + "' in the header", Map.of("line", line));
            }
            names.set(i, name);
        }
        return names;
    }

    private static long skipLines(InputStream in, int lines) throws IOException {
        int skipped = 0;
        int b;
        while (skipped < lines && (b = in.read()) != -1) {
            if (b == '\n') {
                skipped++;
            }
        }
        return skipped;
    }

    public static BadRequest firstError(Path csv) throws IOException {
        return firstError(csv, Syntax.RFC4180);
    }

    /** The first structural error of the file as a 400 naming its line, or null if the structure is sound. */
    public static BadRequest firstError(Path csv, Syntax syn) throws IOException {
        long line = 1;
        long quoteLine = 0;
        int fields = 1;
        int expected = -1;
        boolean inQuotes = false;
        boolean afterQuote = false;
        boolean fieldStart = true;
        boolean recordEmpty = true;
        boolean escaped = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(csv), 1 << 16)) {
            line += skipLines(in, syn.skip());
            long recordLine = line;
            int b;
            while ((b = in.read()) != -1) {
                if (inQuotes) {
                    if (escaped) {
                        escaped = false;
                    } else if (b == syn.escape() && syn.escape() != syn.quote()) {
                        escaped = true;
                    } else if (b == syn.quote()) {
                        inQuotes = false;
                        afterQuote = true;
                    }
                    if (b == '\n') {
                        line++;
                    }
                    continue;
                }
                if (afterQuote) {
                    afterQuote = false;
                    if (b == syn.quote() && syn.escape() == syn.quote()) { // "" inside a quoted field
                        inQuotes = true;
                        continue;
                    }
                    if (b != syn.delimiter() && b != '\n' && b != '\r') {
                        return error(line, "unexpected character after a closing quote (quoted field opened on line "
                                + quoteLine + ")");
                    }
                }
                if (b == syn.quote()) {
                    if (!fieldStart) {
                        return error(line, "quote inside an unquoted field");
                    }
                    inQuotes = true;
                    quoteLine = line;
                    fieldStart = false;
                    recordEmpty = false;
                } else if (b == syn.delimiter()) {
                    fields++;
                    fieldStart = true;
                    recordEmpty = false;
                } else if (b == '\n') {
                    if (!recordEmpty) {
                        if (expected < 0) {
                            expected = fields;
                        } else if (fields > expected || (fields < expected && !syn.nullPadding())) {
                            return ragged(recordLine, expected, fields);
                        }
                    }
                    line++;
                    recordLine = line;
                    fields = 1;
                    fieldStart = true;
                    recordEmpty = true;
                } else if (b != '\r') {
                    fieldStart = false;
                    recordEmpty = false;
                }
            }
            if (inQuotes) {
                return error(quoteLine, "quoted field is never closed");
            }
            if (!recordEmpty && expected >= 0 && (fields > expected || (fields < expected && !syn.nullPadding()))) {
                return ragged(recordLine, expected, fields);
            }
        }
        return null;
    }

    private static BadRequest ragged(long line, int expected, int found) {
        return new BadRequest("line " + line + ": expected " + expected + " fields (as in the header), found " + found
                + " (null_padding=true pads short rows with NULLs)",
                Map.of("line", line, "expected_fields", expected, "found_fields", found, "code", "ragged_row"));
    }

    private static BadRequest error(long line, String what) {
        return new BadRequest("line " + line + ": " + what, Map.of("line", line, "code", "malformed_csv"));
    }
}
