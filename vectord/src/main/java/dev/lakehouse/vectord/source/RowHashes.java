package dev.lakehouse.vectord.source;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * What a dataset-backed index knows of each row it embedded, in 16 bytes a row (ADR 0025): the first 8 bytes
 * of SHA-256 of the row id and of its text and metadata, in two arrays sorted by id hash (a lookup is a
 * binary search). A map of id and hex hash strings took ~200 bytes a row. Ids are not kept: the ids to
 * delete are found among the index's items by their hash. Two ids of one dataset share a 64-bit hash with
 * probability ~n²/2⁶⁵ (3·10⁻⁶ at 10M rows); then one of them is re-embedded at every sync (never skipped
 * wrongly while its content hash differs too).
 *
 * <p>Stored inside the sync state as {@code {"count", "crc32", "data"}}: base64 of the pairs, big-endian,
 * with a CRC-32 over them; a mismatch fails the read (never taken for "no rows").
 */
public final class RowHashes {
    private final long[] ids;
    private final long[] contents;

    private RowHashes(long[] ids, long[] contents) {
        this.ids = ids;
        this.contents = contents;
    }

    public static final RowHashes EMPTY = new RowHashes(new long[0], new long[0]);

    public int size() {
        return ids.length;
    }

    /** Heap held: two longs a row. */
    public long memoryBytes() {
        return 32L + 16L * ids.length;
    }

    public boolean contains(long idHash) {
        return Arrays.binarySearch(ids, idHash) >= 0;
    }

    /** The content hash recorded for {@code idHash}, or null. */
    public Long content(long idHash) {
        int at = Arrays.binarySearch(ids, idHash);
        return at < 0 ? null : contents[at];
    }

    public static long idHash(String id) {
        return prefix(sha().digest(id.getBytes(StandardCharsets.UTF_8)));
    }

    public static long contentHash(String text, String metadataJson) {
        MessageDigest sha = sha();
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(metadataJson.getBytes(StandardCharsets.UTF_8));
        return prefix(sha.digest());
    }

    private static long prefix(byte[] digest) {
        return ByteBuffer.wrap(digest).getLong();
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A format 1.x state's {@code id → hex hash} map (its hex is SHA-256's first 16 bytes: the first 8 are ours). */
    static RowHashes fromLegacy(Map<String, String> rows) {
        Builder b = new Builder();
        rows.forEach((id, hex) -> b.add(idHash(id), HexFormat.fromHexDigitsToLong(hex.substring(0, 16))));
        return b.build();
    }

    /** Collects pairs in any order; {@link #build} sorts them by id hash. */
    static final class Builder {
        private long[] ids = new long[256];
        private long[] contents = new long[256];
        private int n;

        void add(long idHash, long contentHash) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
                contents = Arrays.copyOf(contents, n * 2);
            }
            ids[n] = idHash;
            contents[n++] = contentHash;
        }

        RowHashes build() {
            long[] i = Arrays.copyOf(ids, n);
            long[] c = Arrays.copyOf(contents, n);
            sort(i, c, 0, n - 1);
            return new RowHashes(i, c);
        }

        /** Quicksort of {@code k} carrying {@code v} along (no boxing of millions of rows). */
        private static void sort(long[] k, long[] v, int lo, int hi) {
            while (lo < hi) {
                long pivot = k[(lo + hi) >>> 1];
                int a = lo;
                int b = hi;
                while (a <= b) {
                    while (k[a] < pivot) {
                        a++;
                    }
                    while (k[b] > pivot) {
                        b--;
                    }
                    if (a <= b) {
                        long t = k[a];
                        k[a] = k[b];
                        k[b] = t;
                        t = v[a];
                        v[a] = v[b];
                        v[b] = t;
                        a++;
                        b--;
                    }
                }
                if (b - lo < hi - a) { // recurse into the smaller side: depth stays O(log n)
                    sort(k, v, lo, b);
                    lo = a;
                } else {
                    sort(k, v, a, hi);
                    hi = b;
                }
            }
        }
    }

    @JsonProperty("count")
    public int count() {
        return ids.length;
    }

    @JsonProperty("crc32")
    public long crc32() {
        CRC32 crc = new CRC32();
        crc.update(bytes());
        return crc.getValue();
    }

    @JsonProperty("data")
    public String data() {
        return Base64.getEncoder().encodeToString(bytes());
    }

    private byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(16 * ids.length);
        for (int i = 0; i < ids.length; i++) {
            b.putLong(ids[i]).putLong(contents[i]);
        }
        return b.array();
    }

    @JsonCreator
    static RowHashes read(@JsonProperty("count") int count, @JsonProperty("crc32") long crc32,
                          @JsonProperty("data") String data) {
        byte[] raw = Base64.getDecoder().decode(data == null ? "" : data);
        CRC32 crc = new CRC32();
        crc.update(raw);
        if (raw.length != 16L * count || crc.getValue() != crc32) {
            throw new IllegalArgumentException("row hashes are damaged: " + raw.length + " bytes for " + count
                    + " rows, crc32 " + crc.getValue() + " (stored " + crc32 + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        long[] ids = new long[count];
        long[] contents = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = b.getLong();
            contents[i] = b.getLong();
            if (i > 0 && ids[i] < ids[i - 1]) {
                throw new IllegalArgumentException("row hashes are not sorted at row " + i);
            }
        }
        return new RowHashes(ids, contents);
    }
}
