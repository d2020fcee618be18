package dev.lakehouse.queryd.result;

import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBResultSet;

/** What a writer reads: an executing statement's result and what it was computed from. */
public interface ResultSource {
    DuckDBResultSet resultSet();

    /** The columns of the statement as the user wrote it (names and DuckDB types), before any rendering. */
    List<Column> columns();

    /** True when every column of {@link #resultSet} is the text {@link Rendering} made of a value. */
    boolean rendered();

    /** Dataset → manifest version the answer was computed from. */
    Map<String, Integer> versions();

    long elapsedMillis();

    /** A CSV answer DuckDB's COPY writes (ADR 0042), or null when the answer is read from {@link #resultSet}. */
    default CopiedCsv copiedCsv() {
        return null;
    }

    /** Called between batches of a streamed result: cancels it and throws once its time is up. */
    void checkDeadline();
}
