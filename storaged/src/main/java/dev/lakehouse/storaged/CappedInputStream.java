package dev.lakehouse.storaged;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.PayloadTooLarge;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Passes a request body through and throws {@link PayloadTooLarge} as soon as more than {@code cap}
 * bytes have arrived: the guard for bodies of undeclared length (chunked), which no header check catches.
 */
final class CappedInputStream extends FilterInputStream {
    private final long cap;
    private final String key;
    private long count;

    CappedInputStream(InputStream in, long cap, String key) {
        super(in);
        this.cap = cap;
        this.key = key;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException();
    }

    private void add(long n) {
        count += n;
        if (count > cap) {
            throw tooLarge(key, cap, -1);
        }
    }

    long count() {
        return count;
    }

    static PayloadTooLarge tooLarge(String key, long cap, long declared) {
        String what = declared >= 0 ? "declared Content-Length " + declared + " exceeds" : "body exceeds";
        return new PayloadTooLarge(what + " the " + cap + "-byte PUT cap for key '" + key + "'",
                declared >= 0 ? Map.of("code", ErrorCodes.PUT_CAP_EXCEEDED, "max_bytes", cap, "declared_bytes", declared)
                        : Map.of("code", ErrorCodes.PUT_CAP_EXCEEDED, "max_bytes", cap));
    }
}
