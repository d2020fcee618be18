package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lakehouse.common.StorageLayout;
import dev.lakehouse.common.config.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PutCapPolicyTest {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    final PutCapPolicy caps = PutCapPolicy.defaults();

    @Test
    void defaultsAre256MiBAnd4GiB() {
        assertEquals(256 * MIB, PutCapPolicy.DEFAULT_MAX_PUT_BYTES);
        assertEquals(4 * GIB, PutCapPolicy.DEFAULT_MAX_PUT_BYTES_VECTORS);
    }

    /** The vectors cap follows the constant vectord writes under, not a copy of its spelling. */
    @Test
    void vectorsCapAppliesExactlyToTheSharedPrefix() {
        assertEquals("_vectors/", StorageLayout.VECTORS_PREFIX, "vectord and storaged agree through this one constant");
        assertEquals(4 * GIB, caps.maxPutBytesFor(StorageLayout.VECTORS_PREFIX + "idx.lhv1"));
        assertEquals(4 * GIB, caps.maxPutBytesFor(StorageLayout.VECTORS_PREFIX));
        // one character short of the prefix is not the prefix
        String shorter = StorageLayout.VECTORS_PREFIX.substring(0, StorageLayout.VECTORS_PREFIX.length() - 1);
        assertEquals(256 * MIB, caps.maxPutBytesFor(shorter));
        assertEquals(256 * MIB, caps.maxPutBytesFor(shorter + "x/idx.lhv1"));
    }

    @Test
    void everyOtherPathKeepsTheDefault() {
        assertEquals(256 * MIB, caps.maxPutBytesFor(StorageLayout.DATASETS_PREFIX + "sales/0001.parquet"));
        assertEquals(256 * MIB, caps.maxPutBytesFor(StorageLayout.CATALOG_PREFIX + "sales/1.json"));
        assertEquals(256 * MIB, caps.maxPutBytesFor("nested/_vectors/idx.lhv1"), "prefix, not substring");
        assertEquals(256 * MIB, caps.maxPutBytesFor("_VECTORS/idx.lhv1"), "case-sensitive like S3 keys");
        assertEquals(256 * MIB, caps.maxPutBytesFor(""));
        assertEquals(256 * MIB, caps.maxPutBytesFor(null));
    }

    @Test
    void capsAreConfigurable() {
        PutCapPolicy p = PutCapPolicy.from(Config.of(Map.of(
                "storaged.max_put_bytes", "1000", "storaged.max_put_bytes_vectors", "5000")));
        assertEquals(1000, p.maxPutBytesFor("a/b"));
        assertEquals(5000, p.maxPutBytesFor("_vectors/a"));
        assertThrows(IllegalArgumentException.class, () -> new PutCapPolicy(-1, 1));
    }

    /** The documented production workload (500K × 768 float32 ≈ 1.5 GiB with graph) must fit the vectors cap. */
    @Test
    void vectorsCapHoldsTheDocumentedWorkload() {
        long vectors = 500_000L * 768 * Float.BYTES;
        long graph = 500_000L * 16 * 2 * Integer.BYTES;
        assertEquals(true, vectors + graph < caps.maxPutBytesFor(StorageLayout.VECTORS_PREFIX + "big.lhv1"));
    }
}
