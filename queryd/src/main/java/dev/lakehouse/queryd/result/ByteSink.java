package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.arrow.memory.ArrowBuf;

/**
 * A buffer in front of the response for the text writers, without {@link java.io.BufferedOutputStream}'s lock: an
 * export writes a few small pieces per cell, 15 million cells for 3M rows × 5 columns, all from one thread.
 */
final class ByteSink extends OutputStream {
    private final OutputStream out;
    private final byte[] buf;
    private int n;
    /** Bytes handed to the response so far. */
    private long handedOver;

    ByteSink(OutputStream out, int size) {
        this.out = out;
        this.buf = new byte[size];
    }

    @Override
    public void write(int b) throws IOException {
        if (n == buf.length) {
            drain();
        }
        buf[n++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - n) {
            drain();
            if (len > buf.length) {
                out.write(b, off, len);
                handedOver += len;
                return;
            }
        }
        System.arraycopy(b, off, buf, n, len);
        n += len;
    }

    /** {@code len} bytes of an off-heap buffer from {@code from}, copied once, into this buffer. */
    void write(ArrowBuf src, long from, long len) throws IOException {
        while (len > 0) {
            if (n == buf.length) {
                drain();
            }
            int chunk = (int) Math.min(len, buf.length - n);
            src.getBytes(from, buf, n, chunk);
            n += chunk;
            from += chunk;
            len -= chunk;
        }
    }

    /**
     * Reads from {@code in} straight into the free part of this buffer (sent on once full): the bytes of DuckDB's
     * COPY are copied once, pipe to buffer. The count read, or -1 at the end.
     */
    int readFrom(CopiedCsv in) throws IOException {
        if (n == buf.length) {
            drain();
        }
        int got = in.read(buf, n, buf.length - n);
        if (got > 0) {
            n += got;
        }
        return got;
    }

    /** Bytes handed to the response so far, those still in this buffer not counted. */
    long bytes() {
        return handedOver;
    }

    private void drain() throws IOException {
        out.write(buf, 0, n);
        handedOver += n;
        n = 0;
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }
}
