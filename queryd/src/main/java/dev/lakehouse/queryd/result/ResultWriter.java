package dev.lakehouse.queryd.result;

import dev.lakehouse.queryd.api.ResultFormat;
import dev.lakehouse.queryd.exec.QueryRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;

/**
 * Writes one open result in one format. {@link #begin} runs the statement up to its first row or batch, so
 * engine errors (bad SQL at bind time, timeout, permission) still become a typed status; {@link #write} streams
 * the rest once the status is committed. At most {@code limit} rows are written.
 */
public interface ResultWriter extends AutoCloseable {
    void begin() throws SQLException;

    void write(OutputStream out) throws IOException, SQLException;

    /** Rows written so far. */
    long rows();

    @Override
    default void close() {}

    static ResultWriter of(ResultFormat format, QueryRunner.Running query, long limit, ArrowSupport arrow) {
        return switch (format) {
            case JSON -> new JsonResultWriter(query, limit);
            case CSV -> new CsvResultWriter(query, limit);
            case ARROW -> new ArrowResultWriter(query, limit, arrow);
        };
    }
}
