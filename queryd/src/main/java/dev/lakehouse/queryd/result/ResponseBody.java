package dev.lakehouse.queryd.result;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * The body of an answer as the writers see it: bytes, and buffers that Jetty writes as they are. An off-heap
 * buffer handed to Jetty's {@link HttpOutput} goes to the socket without a copy; the same bytes as a {@code byte[]}
 * were copied twice in queryd, onto the heap and back into the JDK's temporary direct buffer of each socket write
 * (ADR 0042, session 11). Closing it flushes and leaves the response to the route, like
 * {@link dev.lakehouse.common.io.NonClosingOutputStream}.
 */
public final class ResponseBody extends OutputStream implements DirectSink.Out {
    private final OutputStream out;
    private final HttpOutput jetty;
    private byte[] bounce;

    public ResponseBody(OutputStream out) {
        this.out = out;
        this.jetty = out instanceof HttpOutput h ? h : null;
    }

    /** Writes the buffer's remaining bytes; it may be reused once this returns (the write is a blocking one). */
    @Override
    public void write(ByteBuffer src) throws IOException {
        if (jetty != null) {
            jetty.write(src);
            return;
        }
        if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
            return;
        }
        if (bounce == null) {
            bounce = new byte[1 << 16];
        }
        while (src.hasRemaining()) { // a stream other than Jetty's (tests): through a byte[]
            int n = Math.min(src.remaining(), bounce.length);
            src.get(bounce, 0, n);
            out.write(bounce, 0, n);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
