package dev.lakehouse.queryd.engine;

import dev.lakehouse.common.io.NamedPipes;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named pipes in queryd's private export directory, the one place (beside the Parquet cache) the export engine's
 * DuckDB may open: a CSV export is DuckDB's own {@code COPY ... TO} one of them, read by queryd as DuckDB writes it
 * (ADR 0042). User SQL never names a path (ADR 0014), so only queryd's own COPY reaches this directory; a pipe's name
 * is random all the same. Whatever the outcome of an export, its pipe is removed; pipes left by a crash are removed
 * at start.
 */
public final class ExportPipes {
    private static final Logger log = LoggerFactory.getLogger(ExportPipes.class);

    private final Path dir;
    private final AtomicInteger open = new AtomicInteger();

    public ExportPipes(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.dir);
            try (DirectoryStream<Path> left = Files.newDirectoryStream(this.dir)) {
                for (Path p : left) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("export directory " + this.dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Pipes made and not closed yet. */
    public int open() {
        return open.get();
    }

    /**
     * A new pipe, opened for reading before DuckDB opens it for writing. A FIFO's open for reading blocks until a
     * writer comes (and DuckDB may fail before it opens the file), so queryd holds a read-write descriptor
     * ({@code keeper}) while the COPY runs: both opens return at once, and the reader sees the end of the data when
     * DuckDB has closed the file and {@link Pipe#writerDone} has closed the keeper.
     */
    public Pipe create() throws IOException {
        Path path = dir.resolve(UUID.randomUUID() + ".csv");
        NamedPipes.make(path);
        open.incrementAndGet();
        RandomAccessFile keeper = null;
        try {
            keeper = new RandomAccessFile(path.toFile(), "rw"); // O_RDWR: a FIFO's open that never blocks
            return new Pipe(path, keeper, new FileInputStream(path.toFile()));
        } catch (IOException | RuntimeException e) {
            if (keeper != null) {
                keeper.close();
            }
            Files.deleteIfExists(path);
            open.decrementAndGet();
            throw e;
        }
    }

    /** One export's pipe: its path (for the COPY), its read end, and the keeper described at {@link #create}. */
    public final class Pipe implements AutoCloseable {
        private final Path path;
        private final RandomAccessFile keeper;
        private final InputStream in;
        private boolean closed;

        private Pipe(Path path, RandomAccessFile keeper, InputStream in) {
            this.path = path;
            this.keeper = keeper;
            this.in = in;
        }

        public Path path() {
            return path;
        }

        public InputStream in() {
            return in;
        }

        /** The COPY has returned (DuckDB closed its end): once the pipe is drained, the reader reads the end. */
        public void writerDone() {
            closeQuietly(keeper);
        }

        /**
         * Closes both ends held here: a writer still in DuckDB then gets EPIPE (the JVM ignores SIGPIPE) and its COPY
         * fails, so an export whose client is gone stops. Removes the pipe. Idempotent.
         */
        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            closeQuietly(keeper);
            closeQuietly(in);
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.warn("cannot remove export pipe {}: {}", path, e.getMessage());
            }
            open.decrementAndGet();
        }

        private static void closeQuietly(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing an export pipe: {}", e.getMessage());
            }
        }
    }
}
