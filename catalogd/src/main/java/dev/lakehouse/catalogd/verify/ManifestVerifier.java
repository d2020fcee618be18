package dev.lakehouse.catalogd.verify;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.concurrent.Daemons;
import dev.lakehouse.common.concurrent.Futures;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.common.model.FileEntry;
import dev.lakehouse.common.model.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;

/**
 * Checks a registration against the objects it names before the catalog believes it: each file exists with
 * the declared size and ETag, and its Parquet footer has the declared row count and the manifest's columns
 * (names and DuckDB types, in order). Only the footer is read, never the data. A lie is a
 * 400 {@code manifest_mismatch} listing every difference found: {@code {key, field, manifest, object}}.
 *
 * <p>Each check is a few small storaged round trips on the register's critical path (ADR 0047), so they overlap:
 * a file's HEAD runs beside a read of the last {@value #TAIL_BYTES} bytes its declared size names (the footer's
 * length and, for DuckDB's few-KiB footers, the footer itself), and files are checked {@value #BATCH} at a time.
 * The speculative tail is used only when the HEAD confirms the declared size; otherwise, or for a larger footer,
 * the footer is read as before from the size the HEAD gave, so every verdict is the one of the serial check.
 */
public final class ManifestVerifier {
    /** At most this many differences are listed; the count of all of them is given too. */
    static final int MAX_LISTED = 20;
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    /** Bytes read from a file's end beside its HEAD. */
    static final int TAIL_BYTES = 64 * 1024;
    /** Files checked at once: bounds the tails held ({@code BATCH × TAIL_BYTES}) and the requests in flight. */
    static final int BATCH = 8;

    private final StorageClient storage;
    private final long maxFooterBytes;
    // 2 × BATCH: every HEAD and tail of a batch at once; the tasks never wait on each other
    private final ExecutorService reads = idleTimed(2 * BATCH);

    /** At most {@code n} threads, ended after a minute idle (registrations come in bursts; queued beyond {@code n}). */
    private static ExecutorService idleTimed(int n) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Daemons.threads("catalogd-verify"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public ManifestVerifier(StorageClient storage, long maxFooterBytes) {
        this.storage = storage;
        this.maxFooterBytes = maxFooterBytes;
    }

    public void verify(List<ColumnSpec> schema, List<FileEntry> files) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (int from = 0; from < files.size(); from += BATCH) {
            List<FileEntry> batch = files.subList(from, Math.min(files.size(), from + BATCH));
            List<Future<Optional<ObjectInfo>>> heads = new ArrayList<>();
            List<Future<byte[]>> tails = new ArrayList<>();
            for (FileEntry f : batch) {
                heads.add(reads.submit(() -> storage.head(f.key())));
                tails.add(reads.submit(() -> speculativeTail(f)));
            }
            for (int i = 0; i < batch.size(); i++) {
                check(batch.get(i), schema, found, Futures.await(heads.get(i), "verifying a manifest"),
                        Futures.await(tails.get(i), "verifying a manifest"));
            }
        }
        if (!found.isEmpty()) {
            Map<String, Object> first = found.get(0);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("code", "manifest_mismatch");
            details.put("mismatches", found.subList(0, Math.min(MAX_LISTED, found.size())));
            details.put("mismatch_count", found.size());
            throw new BadRequest("the manifest does not match its files: " + first.get("key") + " " + first.get("field")
                    + " is " + first.get("object") + ", the manifest says " + first.get("manifest")
                    + (found.size() > 1 ? " (and " + (found.size() - 1) + " more)" : ""), details);
        }
    }

    /**
     * The last bytes of the object if it has the declared size, or null when they cannot be read that way (a size
     * that is a lie, an absent object): the check then reads from the HEAD's size, as without this read.
     */
    private byte[] speculativeTail(FileEntry f) {
        if (f.bytes() < 12) {
            return null;
        }
        long first = Math.max(0, f.bytes() - TAIL_BYTES);
        try (InputStream in = storage.getRange(f.key(), first, f.bytes() - 1)) {
            byte[] b = in.readNBytes((int) (f.bytes() - first));
            return b.length == f.bytes() - first ? b : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void check(FileEntry f, List<ColumnSpec> schema, List<Map<String, Object>> found,
            Optional<ObjectInfo> head, byte[] tail) {
        if (head.isEmpty()) {
            found.add(mismatch(f.key(), "object", "present", "absent"));
            return;
        }
        ObjectInfo o = head.get();
        if (o.size() != f.bytes()) {
            found.add(mismatch(f.key(), "bytes", f.bytes(), o.size()));
        }
        if (f.etag() == null || !unquote(f.etag()).equals(unquote(o.etag()))) {
            found.add(mismatch(f.key(), "etag", f.etag(), o.etag()));
        }
        ParquetFooter footer;
        try {
            footer = footer(f.key(), o.size(), o.size() == f.bytes() ? tail : null);
        } catch (ParquetFooter.Malformed e) {
            found.add(mismatch(f.key(), "parquet_footer", "a Parquet footer", e.getMessage()));
            return;
        }
        if (footer.rows() != f.rows()) {
            found.add(mismatch(f.key(), "rows", f.rows(), footer.rows()));
        }
        List<String> declared = schema.stream().map(c -> c.name() + " " + c.type()).toList();
        List<String> actual = footer.columns().stream().map(c -> c.name() + " " + c.type().toUpperCase(Locale.ROOT)).toList();
        if (!declared.equals(actual)) {
            found.add(mismatch(f.key(), "columns", declared, actual));
        }
    }

    /**
     * The file's FileMetaData: its last 8 bytes give the footer's length, then one range GET reads it; both come
     * from {@code known} (the object's last bytes, or null) when it holds them.
     */
    private ParquetFooter footer(String key, long size, byte[] known) {
        if (size < 12) {
            throw new ParquetFooter.Malformed("object of " + size + " bytes is too small to be Parquet");
        }
        byte[] tail = known != null ? java.util.Arrays.copyOfRange(known, known.length - 8, known.length)
                : range(key, size - 8, size - 1);
        if (!java.util.Arrays.equals(tail, 4, 8, MAGIC, 0, 4)) {
            throw new ParquetFooter.Malformed("no PAR1 magic at the end of the object");
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        if (length == 0 || length > size - 12) {
            throw new ParquetFooter.Malformed("footer length " + length + " does not fit an object of " + size + " bytes");
        }
        if (length > maxFooterBytes) {
            throw new ParquetFooter.Malformed("footer of " + length + " bytes is over catalogd.max_footer_bytes ("
                    + maxFooterBytes + ")");
        }
        if (known != null && length + 8 <= known.length) {
            int from = (int) (known.length - 8 - length);
            return ParquetFooter.parse(java.util.Arrays.copyOfRange(known, from, known.length - 8));
        }
        return ParquetFooter.parse(range(key, size - 8 - length, size - 9));
    }

    private byte[] range(String key, long first, long last) {
        try (InputStream in = storage.getRange(key, first, last)) {
            byte[] b = in.readNBytes((int) (last - first + 1));
            if (b.length != last - first + 1) {
                throw new ParquetFooter.Malformed("object ended early reading bytes " + first + "-" + last);
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " bytes " + first + "-" + last, e);
        }
    }

    private static Map<String, Object> mismatch(String key, String field, Object manifest, Object object) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("field", field);
        m.put("manifest", manifest);
        m.put("object", object);
        return m;
    }

    private static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
