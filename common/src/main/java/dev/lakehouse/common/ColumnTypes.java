package dev.lakehouse.common;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The column types a dataset schema may use: the one list of the fleet (catalogd validates against it, ingestd maps
 * what DuckDB infers or a Parquet footer declares onto it). A schema stores {@link #canonical(String) canonical} DuckDB type
 * names — the names DuckDB's {@code DESCRIBE}/{@code typeof()} print — so a view over the files shows exactly the
 * catalog's types. DECIMAL carries its precision and scale: {@code DECIMAL(p,s)} with 1 ≤ p ≤ 38, 0 ≤ s ≤ p.
 * No HUGEINT: DuckDB writes it to Parquet as DOUBLE (rounding); integers too wide for BIGINT are DECIMAL(38,0).
 */
public enum ColumnTypes {
    BOOLEAN("BOOLEAN"),
    BIGINT("BIGINT"),
    DOUBLE("DOUBLE"),
    DECIMAL("DECIMAL"),
    DATE("DATE"),
    TIME("TIME"),
    TIMESTAMP("TIMESTAMP"),
    TIMESTAMPTZ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"),
    UUID("UUID"),
    VARCHAR("VARCHAR"),
    BLOB("BLOB");

    private static final Pattern DECIMAL_TYPE = Pattern.compile("DECIMAL\\s*\\(\\s*(\\d{1,2})\\s*,\\s*(\\d{1,2})\\s*\\)");

    /** Every type's canonical name (DECIMAL as {@code DECIMAL(p,s)}), for error messages. */
    public static final List<String> ALL = Arrays.stream(values())
            .map(t -> t == DECIMAL ? "DECIMAL(p,s)" : t.duckName).toList();

    private final String duckName;
    private final String alias;

    ColumnTypes(String duckName) {
        this(duckName, null);
    }

    ColumnTypes(String duckName, String alias) {
        this.duckName = duckName;
        this.alias = alias;
    }

    /** DuckDB's name of the type (without DECIMAL's precision and scale). */
    public String duckName() {
        return duckName;
    }

    /** The type of a (canonical or alias) type name, or null if it is not one of these. */
    public static ColumnTypes of(String type) {
        String name = canonical(type);
        if (name == null) {
            return null;
        }
        return name.startsWith("DECIMAL(") ? DECIMAL
                : Arrays.stream(values()).filter(t -> t.duckName.equals(name)).findFirst().orElseThrow();
    }

    /** The canonical (upper-case, DuckDB-spelled) name of {@code type}, or null if it is not one of these. */
    public static String canonical(String type) {
        if (type == null) {
            return null;
        }
        String t = type.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        Matcher m = DECIMAL_TYPE.matcher(t);
        if (m.matches()) {
            int p = Integer.parseInt(m.group(1));
            int s = Integer.parseInt(m.group(2));
            return p >= 1 && p <= 38 && s <= p ? "DECIMAL(" + p + "," + s + ")" : null;
        }
        for (ColumnTypes c : values()) {
            if (c != DECIMAL && (c.duckName.equals(t) || t.equals(c.alias))) {
                return c.duckName;
            }
        }
        return null;
    }

    /** Integers too wide for BIGINT (up to 38 digits). */
    public static final String WIDE_INTEGER = "DECIMAL(38,0)";

    /**
     * DuckDB types that are none of these but that one holds without loss, with the column type they become:
     * what ingestd stores when DuckDB infers, or a Parquet footer declares, a narrower type. Kept here, beside
     * the types, so the two lists cannot drift apart. HUGEINT becomes DECIMAL(38,0): a wider value fails loudly
     * when read. TIMESTAMP_NS is left out (nanoseconds would be truncated).
     */
    public static final Map<String, String> WIDENED = Map.ofEntries(
            Map.entry("TINYINT", "BIGINT"), Map.entry("SMALLINT", "BIGINT"), Map.entry("INTEGER", "BIGINT"),
            Map.entry("UTINYINT", "BIGINT"), Map.entry("USMALLINT", "BIGINT"), Map.entry("UINTEGER", "BIGINT"),
            Map.entry("UBIGINT", "DECIMAL(20,0)"), Map.entry("HUGEINT", WIDE_INTEGER),
            Map.entry("FLOAT", "DOUBLE"), Map.entry("REAL", "DOUBLE"),
            Map.entry("TIMESTAMP_S", "TIMESTAMP"), Map.entry("TIMESTAMP_MS", "TIMESTAMP"));

    /**
     * The column type that holds a DuckDB type without loss: its canonical name when it is one of these, its
     * {@link #WIDENED} type when narrower, else null.
     */
    public static String holding(String duckType) {
        String canonical = canonical(duckType);
        return canonical != null ? canonical : WIDENED.get(duckType.trim().toUpperCase(Locale.ROOT));
    }

    /** DECIMAL's {precision, scale} of a canonical {@code DECIMAL(p,s)} name. */
    public static int[] decimal(String canonicalDecimal) {
        Matcher m = DECIMAL_TYPE.matcher(canonicalDecimal);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a DECIMAL(p,s): " + canonicalDecimal);
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
