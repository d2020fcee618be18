package dev.lakehouse.vectord.source;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a dataset-backed index takes its items from: one item per row of {@code dataset}, its id the
 * {@code idColumn}, its text (embedded) the {@code textColumns} joined by newlines, its metadata the
 * {@code metadataColumns}. Validated here so a bad name is a 400, never SQL.
 */
public record DatasetSource(String dataset, String idColumn, List<String> textColumns, List<String> metadataColumns) {
    /** catalogd's dataset names are plain identifiers, so the dataset goes into SQL unquoted. */
    static final Pattern DATASET = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    static final int MAX_COLUMNS = 64;

    public DatasetSource {
        textColumns = textColumns == null ? List.of() : List.copyOf(textColumns);
        metadataColumns = metadataColumns == null ? List.of() : List.copyOf(metadataColumns);
    }

    /** 400 {@code bad_index_source} naming the first problem. */
    public DatasetSource validated() {
        if (dataset == null || !DATASET.matcher(dataset).matches()) {
            throw bad("source.dataset must be a dataset name matching " + DATASET.pattern() + " (got " + dataset + ")");
        }
        if (idColumn == null || idColumn.isBlank()) {
            throw bad("source.id_column is required");
        }
        if (textColumns.isEmpty()) {
            throw bad("source.text_columns must name at least one column (the text that is embedded)");
        }
        if (textColumns.size() + metadataColumns.size() > MAX_COLUMNS) {
            throw bad("source names more than " + MAX_COLUMNS + " columns");
        }
        for (String c : columns()) {
            if (c == null || c.isBlank() || c.length() > 256) {
                throw bad("source column names must be 1..256 characters (got " + c + ")");
            }
        }
        return this;
    }

    /** id, text and metadata columns, each once, in that order. */
    List<String> columns() {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        all.add(idColumn);
        all.addAll(textColumns);
        all.addAll(metadataColumns);
        return new ArrayList<>(all);
    }

    /** The statement that reads the rows; columns are quoted identifiers (a quote inside is doubled). */
    String sql() {
        StringBuilder b = new StringBuilder("SELECT ");
        List<String> cols = columns();
        for (int i = 0; i < cols.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(quote(cols.get(i)));
        }
        // ordered by the id so that pages split one stable result
        return b.append(" FROM ").append(dataset).append(" ORDER BY ").append(quote(idColumn)).toString();
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static BadRequest bad(String message) {
        return new BadRequest(message, Map.of("code", ErrorCodes.BAD_INDEX_SOURCE));
    }
}
