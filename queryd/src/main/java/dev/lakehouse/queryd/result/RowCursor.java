package dev.lakehouse.queryd.result;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Row-at-a-time reading of a result for the text formats: column names and DuckDB type names, a peeked first
 * row, the row limit, and a typed read of each cell (numbers stay numbers, everything else is DuckDB's text).
 */
final class RowCursor {
    enum Kind { BOOLEAN, LONG, DOUBLE, DECIMAL, BIG, TEXT }

    record Column(String name, String type, Kind kind) {}

    private final ResultSet rs;
    private final long limit;
    private List<Column> columns;
    private boolean more;
    private long rows;

    RowCursor(ResultSet rs, long limit) {
        this.rs = rs;
        this.limit = limit;
    }

    /** Executes up to the first row. */
    void begin() throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Column> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String type = md.getColumnTypeName(i);
            cols.add(new Column(md.getColumnLabel(i), type, kindOf(type)));
        }
        columns = List.copyOf(cols);
        more = rs.next();
    }

    List<Column> columns() {
        return columns;
    }

    /** True when positioned on a row that is within the limit. */
    boolean hasRow() {
        return more && rows < limit;
    }

    /** Moves past the current row. */
    void advance() throws SQLException {
        rows++;
        more = rs.next();
    }

    long rows() {
        return rows;
    }

    /** True when rows were left unread because of the limit. */
    boolean truncated() {
        return more && rows >= limit;
    }

    /** The cell as Boolean, Long, Double, BigDecimal, Number or String; null for SQL NULL. */
    Object value(int col) throws SQLException {
        int i = col + 1;
        Object v = switch (columns.get(col).kind()) {
            case BOOLEAN -> rs.getBoolean(i);
            case LONG -> rs.getLong(i);
            case DOUBLE -> rs.getDouble(i);
            case DECIMAL -> rs.getBigDecimal(i);
            case BIG -> rs.getObject(i);
            case TEXT -> rs.getString(i);
        };
        return rs.wasNull() ? null : v;
    }

    static Kind kindOf(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        if (t.startsWith("DECIMAL")) {
            return Kind.DECIMAL;
        }
        return switch (t) {
            case "BOOLEAN" -> Kind.BOOLEAN;
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER" -> Kind.LONG;
            case "FLOAT", "DOUBLE" -> Kind.DOUBLE;
            case "UBIGINT", "HUGEINT", "UHUGEINT" -> Kind.BIG;
            default -> Kind.TEXT;
        };
    }


}
