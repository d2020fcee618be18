package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.sql.SQLException;

/**
 * A CSV answer written by DuckDB's own {@code COPY ... TO (FORMAT csv, HEADER)} as queryd reads it (ADR 0042): its
 * bytes are COPY's by construction, made on DuckDB's threads.
 */
public interface CopiedCsv {
    /** Reads the next bytes of the answer (header first); -1 at its end, when {@link #finish} tells how it ended. */
    int read(byte[] b, int off, int len) throws IOException;

    /** After the end: the rows COPY wrote, or its error (the answer is then incomplete). */
    long finish() throws SQLException;
}
