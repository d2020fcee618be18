package dev.lakehouse.storaged;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/** Request bodies for tests: large generated streams with a known digest, and bodies that stall on a latch. */
final class Bodies {
    private Bodies() {}

    /** {@code size} pseudo-random bytes from {@code seed}, generated as read (never held in memory). */
    static InputStream generated(long size, long seed) {
        return new InputStream() {
            final SplittableRandom rnd = new SplittableRandom(seed);
            final byte[] block = new byte[64 * 1024];
            int pos = block.length;
            long left = size;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                if (pos == block.length) {
                    for (int i = 0; i < block.length; i += 8) {
                        long v = rnd.nextLong();
                        for (int j = 0; j < 8; j++) {
                            block[i + j] = (byte) (v >>> (8 * j));
                        }
                    }
                    pos = 0;
                }
                int n = (int) Math.min(Math.min(len, block.length - pos), left);
                System.arraycopy(block, pos, b, off, n);
                pos += n;
                left -= n;
                return n;
            }
        };
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) != -1) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A body of {@code length} bytes (-1: chunked, {@code chunkedSize} bytes) from a generated stream. */
    static RequestBody streaming(long length, long actualSize, long seed) {
        return octets(length, sink -> {
            try (InputStream in = generated(actualSize, seed)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) != -1) {
                    sink.write(buf, 0, n);
                }
            }
        });
    }

    /** Sends {@code head} bytes, waits for {@code release}, then the rest: holds a PUT slot for as long as a test wants. */
    static RequestBody stalled(int head, int total, CountDownLatch release) {
        return octets(total, sink -> {
            sink.write(new byte[head]);
            sink.flush();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("test never released the body");
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            sink.write(new byte[total - head]);
        });
    }

    @FunctionalInterface
    interface Writer {
        void writeTo(BufferedSink sink) throws IOException;
    }

    /** {@code length} bytes (-1: chunked) of application/octet-stream, written by {@code writer} when OkHttp sends the body. */
    static RequestBody octets(long length, Writer writer) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("application/octet-stream");
            }

            @Override
            public long contentLength() {
                return length;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                writer.writeTo(sink);
            }
        };
    }
}
