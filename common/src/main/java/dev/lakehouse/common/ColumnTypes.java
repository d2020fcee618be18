package dev.lakehouse.common;

import java.util.List;
import java.util.Locale;

/** The six column types a dataset schema may use (DuckDB type names), shared by catalogd and ingestd. */
public final class ColumnTypes {
    private ColumnTypes() {}

    public static final String BIGINT = "BIGINT";
    public static final String DOUBLE = "DOUBLE";
    public static final String BOOLEAN = "BOOLEAN";
    public static final String DATE = "DATE";
    public static final String TIMESTAMP = "TIMESTAMP";
    public static final String VARCHAR = "VARCHAR";

    public static final List<String> ALL = List.of(BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, VARCHAR);

    /** The canonical (upper-case) name of {@code type}, or null if it is not one of {@link #ALL}. */
    public static String canonical(String type) {
        if (type == null) {
            return null;
        }
        String t = type.trim().toUpperCase(Locale.ROOT);
        return ALL.contains(t) ? t : null;
    }
}
