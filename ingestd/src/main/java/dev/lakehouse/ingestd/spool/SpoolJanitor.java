package dev.lakehouse.ingestd.spool;

import dev.lakehouse.common.concurrent.Daemons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the spool directory from filling with the leftovers of dead requests: a kill -9 mid-ingest leaves its
 * spooled CSV, its Parquet file and DuckDB's temp files behind, and nothing else would ever remove them.
 *
 * <p>The directory belongs to one ingestd: a lock file is held for the process's life, so a second ingestd
 * pointed at it fails to start rather than having its live files swept. Holding the lock, everything else in
 * the directory at start is a dead request's and is removed before DuckDB opens its temp dir there. After
 * that, a periodic sweep removes top-level files not modified for {@code maxAge} (a request's files are
 * deleted when it ends, so these are leaks; DuckDB's temp dir is DuckDB's own while it runs).
 */
public final class SpoolJanitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpoolJanitor.class);
    static final String LOCK_FILE = ".ingestd.lock";

    private final Path dir;
    private final Duration maxAge;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ScheduledExecutorService timer = Daemons.scheduler("spool-janitor");

    /** Takes the directory's lock (or fails) and removes everything a previous process left in it. */
    public SpoolJanitor(Path dir, Duration maxAge, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxAge = maxAge;
        this.clock = clock;
        this.lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null; // held by another ingestd in this JVM (tests)
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("ingestd.spool_dir " + dir + " is in use by another ingestd; give each its own");
        }
        this.lock = l;
        long[] removed = removeAll();
        if (removed[0] > 0) {
            log.info("spool: removed {} file(s), {} B left by earlier runs in {}", removed[0], removed[1], dir);
        }
    }

    /** Everything but the lock file, recursively; returns {files, bytes}. */
    private long[] removeAll() throws IOException {
        long[] removed = {0, 0};
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder())
                    .filter(p -> !p.equals(dir) && !p.getFileName().toString().equals(LOCK_FILE))
                    .forEach(p -> delete(p, removed));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return removed;
    }

    /** One pass over top-level files older than the max age; returns how many were removed. */
    int sweep() throws IOException {
        Instant cutoff = clock.instant().minus(maxAge);
        long[] removed = {0, 0};
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path p : files) {
                if (!p.getFileName().toString().equals(LOCK_FILE)
                        && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    delete(p, removed);
                }
            }
        }
        if (removed[0] > 0) {
            log.warn("spool: removed {} file(s), {} B untouched for over {}", removed[0], removed[1], maxAge);
        }
        return (int) removed[0];
    }

    /** Deletes {@code p}; counts it in {files, bytes} when it was a file (directories go uncounted). */
    private static void delete(Path p, long[] removed) {
        try {
            long size = Files.isRegularFile(p) ? Files.size(p) : -1;
            if (Files.deleteIfExists(p) && size >= 0) {
                removed[0]++;
                removed[1] += size;
            }
        } catch (IOException e) {
            log.warn("spool: cannot remove {}: {}", p, e.toString());
        }
    }

    public void start(Duration every) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (IOException | RuntimeException e) {
                log.warn("spool sweep failed: {}", e.toString());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.debug("spool lock release: {}", e.toString());
        }
    }
}
