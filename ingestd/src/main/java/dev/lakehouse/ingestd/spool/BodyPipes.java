package dev.lakehouse.ingestd.spool;

import dev.lakehouse.common.concurrent.Daemons;
import dev.lakehouse.common.io.NamedPipes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plumbing of the streamed conversion (ADR 0047, session 11): a prefix file of a {@link GrowingSpool} that
 * holds the sniffer's sample, and a named pipe that carries the body into DuckDB as it spools. Pipes and prefixes
 * live in their own directory under the spool (removed with it at start, {@link SpoolJanitor}); each is removed
 * whatever the outcome. Its threads (the body's spool, the pipe's feeder, the whole-file sniff) are per request.
 */
public final class BodyPipes implements AutoCloseable {
    /**
     * A prefix is at least this long: the feeder has then written more than a pipe holds (64 KiB by default, 1 MiB
     * at most unless {@code fs.pipe-max-size} is raised, and DuckDB does not resize it) before it can see the spool
     * fail, so DuckDB has opened the pipe by the time the feeder closes it (a FIFO's open for reading with no writer
     * would wait for ever).
     */
    static final long MIN_PREFIX_BYTES = 1L << 20;

    /** What a reader of the pipe does with its path (DuckDB's COPY from it). */
    public interface Reader<T> {
        T read(Path pipe) throws Exception;
    }

    private final Path dir;
    private final int prefixRows;
    private final long maxPrefixBytes;
    private final ExecutorService threads = Executors.newCachedThreadPool(Daemons.threads("ingest-body"));
    private final AtomicInteger open = new AtomicInteger();

    /** {@code prefixRows} lines (DuckDB samples 20,480 rows) in at most {@code maxPrefixBytes}, else no prefix. */
    public BodyPipes(Path dir, int prefixRows, long maxPrefixBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.prefixRows = prefixRows;
        this.maxPrefixBytes = Math.max(maxPrefixBytes, MIN_PREFIX_BYTES);
    }

    public Path dir() {
        return dir;
    }

    /** Threads for the body's spool and the work beside the conversion (one each per request, while it runs). */
    public ExecutorService threads() {
        return threads;
    }

    /**
     * Whether a body of {@code contentLength} (-1: unknown) may be long enough for a prefix: one declared shorter
     * (even compressed: a few KiB of CSV) is spooled whole on the request's thread, as before.
     */
    public boolean mayStream(long contentLength) {
        return contentLength < 0 || contentLength >= MIN_PREFIX_BYTES;
    }

    /** Prefix files and pipes not removed yet. */
    public int open() {
        return open.get();
    }

    /**
     * A new file holding the body's first {@code prefixRows} lines (cut after a line feed, at least
     * {@link #MIN_PREFIX_BYTES}), waiting for them to spool; null when the body ends first (a small body) or they
     * take more than the maximum. The caller deletes it ({@link #remove}). The spool's failure is an IOException.
     */
    public Path prefix(GrowingSpool body) throws IOException {
        Path out = dir.resolve(UUID.randomUUID() + ".prefix.csv");
        open.incrementAndGet();
        boolean cut = false;
        try (InputStream in = body.follow(); OutputStream o = Files.newOutputStream(out)) {
            byte[] buf = new byte[1 << 16];
            long lines = 0;
            long total = 0;
            int n;
            while (!cut && total <= maxPrefixBytes && (n = in.read(buf)) > 0) {
                int take = n;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n' && ++lines >= prefixRows && total + i + 1 >= MIN_PREFIX_BYTES) {
                        take = i + 1;
                        cut = true;
                        break;
                    }
                }
                o.write(buf, 0, take);
                total += take;
            }
        } finally {
            if (!cut) {
                remove(out);
            }
        }
        return cut ? out : null;
    }

    /**
     * Runs {@code reader} on a new pipe that a feeder thread fills with the body from its first byte as it spools,
     * and closes at the body's end. Returns the reader's result only when the pipe carried the whole body; a reader
     * that stopped early has the feeder stopped, a spool that failed ends the pipe early and is an IOException.
     */
    public <T> T through(GrowingSpool body, Reader<T> reader) throws Exception {
        Path pipe = dir.resolve(UUID.randomUUID() + ".pipe.csv");
        NamedPipes.make(pipe);
        open.incrementAndGet();
        // O_RDWR: the open never waits, and neither does DuckDB's (a writer is there); reads stay DuckDB's
        RandomAccessFile end = null;
        Future<Long> fed = null;
        try {
            end = new RandomAccessFile(pipe.toFile(), "rw");
            FileChannel ch = end.getChannel();
            fed = threads.submit(() -> feed(body, ch));
            T out = reader.read(pipe);
            long carried = fed.get(); // the reader saw the pipe's end: the feeder has closed it
            if (carried != Files.size(body.file()) || !body.complete()) {
                throw new IOException("the pipe carried " + carried + " B, not the whole body");
            }
            return out;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } finally {
            if (end != null) {
                end.close(); // a feeder blocked on a pipe no one reads any more fails (its channel is closed)
            }
            if (fed != null) {
                fed.cancel(true); // done already, unless the reader stopped early: no one waits for the spool then
            }
            remove(pipe);
        }
    }

    /**
     * Copies the spool into the pipe as it grows, by {@code transferTo} (sendfile on Linux: no copy through this
     * JVM); closes the pipe at the body's end (DuckDB reads its end). The bytes spooled before a failure go first.
     */
    private static long feed(GrowingSpool body, FileChannel pipe) throws IOException {
        long pos = 0;
        try (pipe; FileChannel spool = FileChannel.open(body.file(), StandardOpenOption.READ)) {
            while (true) {
                long written = body.awaitBytes(pos + 1);
                if (written <= pos) {
                    body.awaitComplete(); // ended: throws the spool's failure
                    return pos;
                }
                while (pos < written) {
                    pos += spool.transferTo(pos, written - pos, pipe);
                }
            }
        }
    }

    /** Deletes a prefix file or pipe made here. */
    public void remove(Path p) throws IOException {
        if (Files.deleteIfExists(p)) {
            open.decrementAndGet();
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
