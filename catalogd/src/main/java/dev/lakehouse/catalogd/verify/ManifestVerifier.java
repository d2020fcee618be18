package dev.lakehouse.catalogd.verify;

import dev.lakehouse.common.client.StorageClient;
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

/**
 * Checks a registration against the objects it names before the catalog believes it: each file exists with
 * the declared size and ETag, and its Parquet footer has the declared row count and the manifest's columns
 * (names and DuckDB types, in order). Only the footer is read (two range GETs), never the data. A lie is a
 * 400 {@code manifest_mismatch} listing every difference found: {@code {key, field, manifest, object}}.
 */
public final class ManifestVerifier {
    /** At most this many differences are listed; the count of all of them is given too. */
    static final int MAX_LISTED = 20;
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final StorageClient storage;
    private final long maxFooterBytes;

    public ManifestVerifier(StorageClient storage, long maxFooterBytes) {
        this.storage = storage;
        this.maxFooterBytes = maxFooterBytes;
    }

    public void verify(List<ColumnSpec> schema, List<FileEntry> files) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (FileEntry f : files) {
            check(f, schema, found);
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

    private void check(FileEntry f, List<ColumnSpec> schema, List<Map<String, Object>> found) {
        Optional<ObjectInfo> head = storage.head(f.key());
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
            footer = footer(f.key(), o.size());
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

    /** The file's FileMetaData: its last 8 bytes give the footer's length, then one range GET reads it. */
    private ParquetFooter footer(String key, long size) {
        if (size < 12) {
            throw new ParquetFooter.Malformed("object of " + size + " bytes is too small to be Parquet");
        }
        byte[] tail = range(key, size - 8, size - 1);
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
