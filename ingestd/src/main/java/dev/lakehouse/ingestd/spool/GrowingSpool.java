package dev.lakehouse.ingestd.spool;

import dev.lakehouse.common.error.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A body being spooled by another thread ({@link CsvSpool#start}): the conversion may read it while it grows
 * ({@link #follow}), and waits for its end ({@link #awaitComplete}) before anything is published. The spool's own
 * failure (413, a corrupt compressed body, a client gone) is the ingest's answer whatever the conversion did.
 */
public final class GrowingSpool implements AutoCloseable {
    private final Path file;
    private final long declaredBytes;
    private final Object lock = new Object();
    private long written;
    private boolean ended;
    private Throwable failure;

    GrowingSpool(Path file, long declaredBytes) {
        this.file = file;
        this.declaredBytes = declaredBytes;
    }

    /** The spool file (whole once {@link #awaitComplete} returned). */
    public Path file() {
        return file;
    }

    /** The body's size as far as known now: what is spooled, or the declared Content-Length when larger. */
    public long expectedBytes() {
        synchronized (lock) {
            return Math.max(written, declaredBytes);
        }
    }

    void wrote(long total) {
        synchronized (lock) {
            written = total;
            lock.notifyAll();
        }
    }

    void ended(Throwable failed) {
        synchronized (lock) {
            ended = true;
            failure = failed;
            lock.notifyAll();
        }
    }

    /** Waits until at least {@code bytes} are spooled or the body ended; returns the bytes spooled. */
    public long awaitBytes(long bytes) throws InterruptedIOException {
        synchronized (lock) {
            while (written < bytes && !ended) {
                waitLocked();
            }
            return written;
        }
    }

    /** Whether the whole body is spooled (false while it arrives; the spool's failure is thrown). */
    public boolean complete() throws IOException {
        synchronized (lock) {
            rethrowLocked();
            return ended;
        }
    }

    /** Waits for the body's end; returns the spool file, or throws the spool's failure. */
    public Path awaitComplete() throws IOException {
        synchronized (lock) {
            while (!ended) {
                waitLocked();
            }
            rethrowLocked();
            return file;
        }
    }

    /** The spool's failure once it ended with one, else null (does not wait). */
    public Throwable failure() {
        synchronized (lock) {
            return failure;
        }
    }

    /** Waits for the body's end (the request's body is read to its end or failure, as before) and deletes the file. */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            while (!ended) {
                waitLocked();
            }
        }
        Files.deleteIfExists(file);
    }

    /**
     * The spooled bytes from the start, as they arrive: a read waits for more until the body ended; it ends at the
     * body's end and fails (IOException) after the last byte spooled when the spool failed.
     */
    public InputStream follow() throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        return new InputStream() {
            private long pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                long available;
                synchronized (lock) {
                    while (written <= pos && !ended) {
                        waitLocked();
                    }
                    available = written - pos;
                    // the bytes spooled before a failure are delivered first (BodyPipes relies on it)
                    if (available <= 0 && failure != null) {
                        throw new IOException("the body's spool failed: " + failure);
                    }
                }
                if (available <= 0) {
                    return -1;
                }
                int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available)), pos);
                if (n > 0) {
                    pos += n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    private void waitLocked() throws InterruptedIOException {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the body spools");
        }
    }

    private void rethrowLocked() throws IOException {
        if (failure instanceof ApiException a) {
            throw a;
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof UncheckedIOException e) {
            throw e.getCause();
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure != null) {
            throw new IOException("spooling the body failed", failure);
        }
    }
}
