package dev.lakehouse.ingestd.spool;

import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.PayloadTooLarge;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Streams a (decoded, see {@link BodyDecoder}) request body to a local temp file with bounded memory (a 256 KiB
 * buffer), refusing more than the cap.
 */
public final class CsvSpool {
    private final Path dir;
    private final long maxBytes;

    public CsvSpool(Path dir, long maxBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    public Path dir() {
        return dir;
    }

    /** Throws 413 up front when the declared length is over the cap (before any byte is read). */
    public void checkDeclared(long contentLength) {
        if (contentLength > maxBytes) {
            throw tooLarge();
        }
    }

    /** Copies {@code in} to a new temp file and returns it; the caller deletes it. */
    public Path spool(InputStream in) throws IOException {
        Path file = Files.createTempFile(dir, "upload-", ".csv");
        try {
            copy(in, file, null);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /**
     * Spools {@code in} on {@code thread} (the request's body read is then never slowed by a reader of the spool,
     * ADR 0047) into a {@link GrowingSpool} that can be read as it grows; the caller closes it.
     * {@code declaredBytes}: the Content-Length, or -1.
     */
    public GrowingSpool start(InputStream in, long declaredBytes, java.util.concurrent.Executor thread) throws IOException {
        GrowingSpool g = new GrowingSpool(Files.createTempFile(dir, "upload-", ".csv"), declaredBytes);
        try {
            thread.execute(() -> {
                try {
                    copy(in, g.file(), g);
                    g.ended(null);
                } catch (Throwable e) {
                    g.ended(e);
                }
            });
        } catch (RuntimeException e) {
            g.ended(e);
            throw e;
        }
        return g;
    }

    private void copy(InputStream in, Path file, GrowingSpool progress) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = read(in, buf)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge();
                }
                out.write(buf, 0, n); // unbuffered: once written, a reader of the file sees the bytes
                if (progress != null) {
                    progress.wrote(total);
                }
            }
        }
    }

    /** A corrupt or truncated compressed body is the client's fault: 400, not 500. */
    private static int read(InputStream in, byte[] buf) throws IOException {
        try {
            return in.read(buf);
        } catch (java.util.zip.ZipException | java.io.EOFException | com.github.luben.zstd.ZstdIOException e) {
            throw new BadRequest("the compressed body is corrupt: " + e.getMessage(), Map.of("code", "corrupt_body"));
        }
    }

    private PayloadTooLarge tooLarge() {
        return new PayloadTooLarge("body is larger than ingestd.max_csv_bytes = " + maxBytes + " (decompressed)",
                Map.of("max_bytes", maxBytes));
    }
}
