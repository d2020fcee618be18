package dev.lakehouse.ingestd.format;

import dev.lakehouse.common.ColumnTypes;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.ingestd.csv.CsvDialect;
import dev.lakehouse.ingestd.csv.CsvScanner;
import dev.lakehouse.ingestd.csv.DuckCsv;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV body → Parquet: DuckDB's sniffer picks the dialect and types under the client's {@link CsvDialect.Overrides},
 * the Java scanner checks the header and names the line of a structural error, and integer columns that the
 * sniffer read as DOUBLE are kept exact (DECIMAL(38,0), or VARCHAR past it). See docs/adr/0019-ingest-dialects-and-types.md.
 */
public final class CsvFormat implements BodyFormat {
    /** Delimiters whose presence in a one-column file's first line means its columns were not found. */
    private static final String DELIMITER_CANDIDATES = ",;\t|";

    private final DuckCsv duck;
    private final CsvDialect.Overrides overrides;

    public CsvFormat(DuckCsv duck, CsvDialect.Overrides overrides) {
        this.duck = duck;
        this.overrides = overrides;
    }

    /**
     * Sniffs and converts. DuckDB infers types from a sample; if a later row does not fit (a conversion error),
     * the whole file is sniffed once more. Any other failure is reported by the Java scanner with its line.
     */
    @Override
    public Converted convert(String dataset, List<ColumnSpec> current, Path csv, Path parquet, Phases phases)
            throws IOException {
        if (Files.size(csv) == 0) {
            throw new BadRequest("line 1: empty CSV body (a header row is required)", Map.of("line", 1, "code", "empty_body"));
        }
        SQLException last = null;
        CsvScanner.Syntax syntax = fallbackSyntax();
        for (boolean fullSample : new boolean[] {false, true}) {
            try {
                DuckCsv.Sniffed sniffed = duck.sniff(csv, overrides, fullSample);
                phases.end("sniff");
                CsvScanner.Syntax found = CsvScanner.Syntax.of(sniffed.dialect());
                syntax = found != null ? found : syntax;
                Plan plan = plan(dataset, current, csv, sniffed);
                phases.end("checks");
                long rows = toParquet(csv, plan, parquet);
                phases.end("convert");
                return finish(dataset, current, csv, plan, rows, parquet, phases);
            } catch (SQLException e) {
                last = e;
                BadRequest structural = CsvScanner.firstError(csv, syntax);
                if (structural != null) {
                    throw structural;
                }
                if (!e.getMessage().contains("Conversion Error")) {
                    break;
                }
            }
        }
        throw new BadRequest("CSV rejected: " + DuckCsv.firstLine(last.getMessage()), Map.of("code", "malformed_csv"));
    }

    /**
     * What the checks decided for a sniffed body: its dialect, its columns as sniffed, the schema to write, and
     * whether a check read past the body's first lines ({@link StreamedCsv} then cannot take it from a prefix).
     */
    record Plan(CsvDialect dialect, List<ColumnSpec> got, List<ColumnSpec> schema, boolean readPastHeader) {}

    /** DuckDB's sniffer on {@code csv} with the client's overrides and the default sample, as {@link #convert} sniffs first. */
    DuckCsv.Sniffed sniff(Path csv) throws SQLException {
        return duck.sniff(csv, overrides, false);
    }

    /**
     * The refusals of ADR 0041 and the schema for {@code sniffed}: a sniffed skip, one squeezed column, a header
     * read differently, the drift 409, integers for wide targets, rounded decimals. All but the last two read only
     * the first lines of {@code csv} unless they refuse it.
     */
    Plan plan(String dataset, List<ColumnSpec> current, Path csv, DuckCsv.Sniffed sniffed) throws IOException, SQLException {
        CsvDialect d = sniffed.dialect();
        CsvScanner.Syntax found = CsvScanner.Syntax.of(d);
        refuseUnaskedSkip(csv, d, found);
        refuseOneSqueezedColumn(csv, d, sniffed.columns());
        List<ColumnSpec> got = mapped(sniffed.columns());
        if (d.header() && found != null) {
            List<String> header = CsvScanner.header(csv, found);
            List<String> names = got.stream().map(ColumnSpec::name).toList();
            if (!names.equals(header)) {
                if (names.size() != header.size()) {
                    // null_padding widens the table to its longest row: a long row is ragged, not a new column
                    BadRequest structural = CsvScanner.firstError(csv, found);
                    if (structural != null) {
                        throw structural;
                    }
                }
                long line = d.skip() + 1L;
                throw new BadRequest("line " + line + ": header " + header + " was read as " + names,
                        Map.of("line", line));
            }
        }
        boolean whole = false;
        if (current != null) {
            List<ColumnSpec> widened = integersForWideTargets(csv, d, got, current);
            whole = widened != got;
            got = widened;
        }
        List<ColumnSpec> schema = current == null ? got : SchemaCheck.forAppend(dataset, current, got);
        whole |= refuseRoundedDecimals(csv, d, schema);
        return new Plan(d, got, schema, whole);
    }

    /** Reads {@code source} (the spooled body, or a pipe carrying it) with the plan's dialect and schema into {@code parquet}. */
    long toParquet(Path source, Plan plan, Path parquet) throws SQLException {
        return duck.toParquet(source, plan.dialect(), plan.schema(), parquet);
    }

    /** After the conversion of the whole {@code csv}: no rows is a 400; integer columns a DOUBLE would round are made exact. */
    Converted finish(String dataset, List<ColumnSpec> current, Path csv, Plan plan, long rows, Path parquet, Phases phases)
            throws SQLException {
        CsvDialect d = plan.dialect();
        if (rows == 0) {
            long line = d.skip() + (d.header() ? 2L : 1L);
            throw new BadRequest("line " + line + ": the CSV has a header but no data rows",
                    Map.of("line", line, "code", "no_rows"));
        }
        List<ColumnSpec> schema = plan.schema();
        List<ColumnSpec> exact = exactIntegers(csv, d, plan.got(), schema, parquet);
        if (!exact.equals(plan.got())) {
            schema = current == null ? exact : SchemaCheck.forAppend(dataset, current, exact);
            rows = duck.toParquet(csv, d, schema, parquet);
        }
        phases.end("exact");
        return new Converted(schema, rows, Map.of("format", "csv", "dialect", d.describe()));
    }

    /**
     * {@code got} with each integer column that a DOUBLE would round made exact. Only columns written as DOUBLE
     * whose values are all integral with one past 2^53 are re-read as text (a cheap check on the Parquet first).
     */
    private List<ColumnSpec> exactIntegers(Path csv, CsvDialect d, List<ColumnSpec> got, List<ColumnSpec> written,
            Path parquet) throws SQLException {
        List<String> suspects = duck.suspectDoubles(parquet, written);
        if (suspects.isEmpty()) {
            return got;
        }
        Map<String, String> wide = new LinkedHashMap<>();
        suspects.forEach(n -> wide.put(n, ColumnTypes.WIDE_INTEGER));
        Map<String, String> exact = duck.integerTypes(csv, d, written, wide);
        List<ColumnSpec> out = new ArrayList<>(got.size());
        for (ColumnSpec c : got) {
            out.add(exact.containsKey(c.name()) ? new ColumnSpec(c.name(), exact.get(c.name())) : c);
        }
        return out;
    }

    /** DuckDB rounds text into a declared DECIMAL silently (1.255 in DECIMAL(10,2) is 1.26): refused instead, 400.
     *  Returns whether it read the file (a declared DECIMAL column). */
    private boolean refuseRoundedDecimals(Path csv, CsvDialect d, List<ColumnSpec> schema) throws SQLException {
        Map<String, String> decimals = new LinkedHashMap<>();
        for (ColumnSpec c : schema) {
            if (overrides.types().containsKey(c.name()) && ColumnTypes.of(c.type()) == ColumnTypes.DECIMAL) {
                decimals.put(c.name(), c.type());
            }
        }
        if (!decimals.isEmpty()) {
            SchemaCheck.refuseRounded(duck.roundedDecimals(csv, d, schema, decimals), decimals);
        }
        return !decimals.isEmpty();
    }

    /** Appending to an integer DECIMAL(p,0) column: a column sniffed as DOUBLE is re-read as text, kept if all fit. */
    private List<ColumnSpec> integersForWideTargets(Path csv, CsvDialect d, List<ColumnSpec> got, List<ColumnSpec> current)
            throws SQLException {
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(got.size(), current.size()); i++) {
            String target = current.get(i).type();
            if (got.get(i).type().equals(ColumnTypes.DOUBLE.duckName()) && got.get(i).name().equals(current.get(i).name())
                    && ColumnTypes.of(target) == ColumnTypes.DECIMAL && ColumnTypes.decimal(target)[1] == 0) {
                names.put(got.get(i).name(), target);
            }
        }
        if (names.isEmpty()) {
            return got;
        }
        Map<String, String> exact = duck.integerTypes(csv, d, got, names);
        return got.stream().map(c -> exact.containsKey(c.name()) ? new ColumnSpec(c.name(), exact.get(c.name())) : c).toList();
    }

    /**
     * DuckDB's sniffer skips leading lines on its own when a wider or more regular table starts further down: it
     * reads {@code a,b,c\n1,2\n3\n4,5,6,7\n} as the one row 4,5,6,7, and so does DuckDB's read_csv. Rows dropped
     * without a word: unless the client asked for {@code skip}, a sniffed skip is refused, naming the first ragged
     * line when the body has one (docs/adr/0041-every-row-or-refuse.md).
     */
    private void refuseUnaskedSkip(Path csv, CsvDialect d, CsvScanner.Syntax found) throws IOException {
        if (d.skip() == 0 || overrides.skip() != null || blankLines(csv, d.skip())) {
            return; // leading blank lines hold no row: skipping them loses nothing
        }
        String hint = "DuckDB's sniffer would start the table at line " + (d.skip() + 1) + " and drop line"
                + (d.skip() == 1 ? " 1" : "s 1 to " + d.skip()) + "; pass ?skip=" + d.skip() + " if they are not data";
        if (found != null) {
            BadRequest structural = CsvScanner.firstError(csv,
                    new CsvScanner.Syntax(found.delimiter(), found.quote(), found.escape(), 0, found.nullPadding()));
            if (structural != null) {
                Map<String, Object> details = new LinkedHashMap<>(structural.details());
                details.put("sniffed_skip", d.skip());
                throw new BadRequest(structural.getMessage() + "; " + hint, details);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("code", "dialect_undetermined");
        details.put("line", 1L);
        details.put("sniffed_skip", d.skip());
        details.put("sniffed", d.describe());
        throw new BadRequest("line 1: the CSV's columns could not be determined from its first line; " + hint, details);
    }

    /** Whether the first {@code lines} lines of {@code csv} hold only spaces, tabs and CRs (read up to another byte). */
    private static boolean blankLines(Path csv, int lines) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(csv))) {
            int seen = 0;
            int b;
            while (seen < lines && (b = in.read()) != -1) {
                if (b == '\n') {
                    seen++;
                } else if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A file the sniffer read as one column although its first line holds a delimiter: its columns could not be
     * determined (a ragged row, or a dialect DuckDB could not settle on). 400 naming the line of a ragged row when
     * there is one, never a single squeezed column.
     */
    private void refuseOneSqueezedColumn(Path csv, CsvDialect d, List<ColumnSpec> columns) throws IOException {
        if (columns.size() != 1 || overrides.delimiter() != null) {
            return;
        }
        String first = firstLine(csv, d.skip());
        for (char cand : DELIMITER_CANDIDATES.toCharArray()) {
            if (first.indexOf(cand) < 0) {
                continue;
            }
            CsvScanner.Syntax syn = new CsvScanner.Syntax(cand, '"', '"', d.skip(), Boolean.TRUE.equals(overrides.nullPadding()));
            if (fields(csv, syn) == 1) {
                continue; // inside quotes: "a,b" is one column
            }
            BadRequest structural = CsvScanner.firstError(csv, syn);
            if (structural != null) {
                throw structural;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("code", "dialect_undetermined");
            details.put("line", d.skip() + 1L);
            details.put("sniffed", d.describe());
            throw new BadRequest("the CSV's columns could not be determined: it was read as one column '"
                    + columns.get(0).name() + "'; pass ?delimiter= (and quote/escape/header) explicitly", details);
        }
    }

    /** Fields of the first line under {@code syn} (2 when they are not even well-formed names). */
    private static int fields(Path csv, CsvScanner.Syntax syn) throws IOException {
        try {
            return CsvScanner.header(csv, syn).size();
        } catch (BadRequest e) {
            return 2;
        }
    }

    private List<ColumnSpec> mapped(List<ColumnSpec> sniffed) {
        List<ColumnSpec> out = new ArrayList<>(sniffed.size());
        for (ColumnSpec c : sniffed) {
            String type = ColumnTypes.holding(c.type());
            if (type == null) {
                throw new BadRequest("column '" + c.name() + "' has type " + c.type() + "; supported: " + ColumnTypes.ALL,
                        Map.of("code", "unsupported_type", "column", c.name()));
            }
            out.add(new ColumnSpec(c.name(), type));
        }
        return out;
    }

    /** For error lines when the sniffer itself failed: the client's one-byte choices, RFC 4180 otherwise. */
    private CsvScanner.Syntax fallbackSyntax() {
        int delim = overrides.delimiter() == null ? ',' : CsvDialect.singleByte(overrides.delimiter());
        int quote = overrides.quote() == null ? '"' : overrides.quote().isEmpty() ? -1 : CsvDialect.singleByte(overrides.quote());
        int escape = overrides.escape() == null || overrides.escape().isEmpty() ? quote : CsvDialect.singleByte(overrides.escape());
        int skip = overrides.skip() == null ? 0 : overrides.skip();
        return new CsvScanner.Syntax(delim < 0 ? ',' : delim, quote, escape, skip, Boolean.TRUE.equals(overrides.nullPadding()));
    }

    private static String firstLine(Path csv, int skip) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(csv))) {
            int skipped = 0;
            int b;
            while (skipped < skip && (b = in.read()) != -1) {
                skipped += b == '\n' ? 1 : 0;
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while ((b = in.read()) != -1 && b != '\n' && line.size() < (1 << 20)) {
                line.write(b);
            }
            return line.toString(StandardCharsets.UTF_8);
        }
    }
}
