package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;

/**
 * Hands the bytes of DuckDB's COPY ({@link CopiedCsv}) to the response as they come; nothing is parsed or quoted
 * here. The export's deadline is checked after each read from the pipe (at most its 64 KiB) and at the end, before
 * the last bytes leave: past it before the first 256 KiB went out, the client gets the typed error.
 */
final class CopiedCsvWriter implements ResultWriter {
    private final ResultSource source;
    private final CopiedCsv csv;
    private ByteSink sink;
    /** -1 until COPY has ended and told its count. */
    private long rows = -1;

    CopiedCsvWriter(ResultSource source, CopiedCsv csv) {
        this.source = source;
        this.csv = csv;
    }

    @Override
    public void begin() {
        // the execution read the answer up to its first row already, under the statement timeout
    }

    @Override
    public void write(OutputStream raw) throws IOException, SQLException {
        ByteSink out = new ByteSink(raw, 1 << 18);
        sink = out;
        while (out.readFrom(csv) >= 0) {
            source.checkDeadline();
        }
        source.checkDeadline(); // a COPY cancelled at the deadline ends as a failed one: name the deadline
        rows = csv.finish();
        out.flush();
    }

    /** COPY tells its row count only at its end: until then, what was sent is counted in bytes. */
    @Override
    public long bytes() {
        return sink == null ? 0 : sink.bytes();
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void close() {
        // the pipe and the COPY belong to the execution, closed with the query
    }
}
