package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.function.LongFunction;

/**
 * Writes one open result in one format. {@link #begin} runs the statement up to its first batch, so engine errors
 * (bad SQL at bind time, timeout, permission, a batch over the memory budget) still become a typed status;
 * {@link #write} streams the rest once the status is committed. The result holds exactly the rows to send (the
 * SQL bounds it); only a JSON page looks at one row more, to say that another page follows.
 */
public interface ResultWriter extends AutoCloseable {
    void begin() throws SQLException;

    void write(OutputStream out) throws IOException, SQLException;

    /** Rows written so far; -1 for a CSV export by COPY before its end (COPY tells its count only then). */
    long rows();

    /** Bytes handed to the response so far. */
    long bytes();

    @Override
    void close();

    /**
     * @param pageSize for JSON: rows per page (the result holds one more when another page follows)
     * @param nextPage for JSON: the cursor of the page after {@code n} rows of this one
     */
    static ResultWriter of(ResultFormat format, ResultSource source, ResultMemory memory, long pageSize,
            LongFunction<String> nextPage) {
        if (format == ResultFormat.CSV && source.copiedCsv() != null) {
            return new CopiedCsvWriter(source, source.copiedCsv());
        }
        ArrowBatches batches = new ArrowBatches(source, memory, format);
        return switch (format) {
            case JSON -> new JsonResultWriter(source, batches, pageSize, nextPage);
            case CSV -> new CsvResultWriter(source, batches);
            case ARROW -> new ArrowResultWriter(source, batches);
        };
    }
}
