package dev.lakehouse.vectord.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.vectord.engine.VectorItem;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WAL record frame: what it round-trips, and that every torn or altered byte is refused whole. */
class WalRecordTest {
    static final long INC = 0x1234_5678_9abc_def1L;

    static WalRecord sample() {
        return new WalRecord(INC, 7, List.of(
                new WalOp.Put(new VectorItem("a", new float[] {1.5f, -2f, Float.MIN_VALUE}, "{\"t\":\"é\"}")),
                new WalOp.Delete("gone"),
                new WalOp.Put(new VectorItem("b-ü", new float[] {0f, 0f, 1f}, null))));
    }

    @Test
    void aRecordRoundTripsItsOpsInOrder() throws Exception {
        WalRecord back = WalRecord.decode(sample().encode(), INC, 7);
        assertEquals(INC, back.incarnation());
        assertEquals(7, back.sequence());
        assertEquals(3, back.ops().size());
        WalOp.Put a = (WalOp.Put) back.ops().get(0);
        assertArrayEquals(new float[] {1.5f, -2f, Float.MIN_VALUE}, a.item().vector());
        assertEquals("{\"t\":\"é\"}", a.item().metadataJson());
        assertEquals(new WalOp.Delete("gone"), back.ops().get(1));
        assertEquals("b-ü", back.ops().get(2).id());
        assertNull(((WalOp.Put) back.ops().get(2)).item().metadataJson());
    }

    @Test
    void everyTruncationIsRefusedAsTorn() {
        byte[] frame = sample().encode();
        for (int keep = 0; keep < frame.length; keep++) {
            byte[] torn = Arrays.copyOf(frame, keep);
            WalException e = assertThrows(WalException.class, () -> WalRecord.decode(torn, INC, 7), "kept " + keep);
            assertTrue(e.getMessage().contains("torn"), e.getMessage());
        }
    }

    @Test
    void everyFlippedBitIsRefused() {
        byte[] frame = sample().encode();
        for (int i = 0; i < frame.length; i++) {
            byte[] bad = frame.clone();
            bad[i] ^= 0x10;
            assertThrows(WalException.class, () -> WalRecord.decode(bad, INC, 7), "byte " + i);
        }
    }

    @Test
    void aPayloadByteAlteredFailsTheChecksum() {
        byte[] bad = sample().encode();
        bad[WalRecord.HEADER + 5] ^= 0x01;
        WalException e = assertThrows(WalException.class, () -> WalRecord.decode(bad, INC, 7));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void aVersionOutsideTheReadRangeIsRefusedByName() {
        byte[] v2 = sample().encode();
        ByteBuffer.wrap(v2).putShort(4, (short) (WalRecord.MAX_VERSION + 1));
        WalException e = assertThrows(WalException.class, () -> WalRecord.decode(v2, INC, 7));
        assertTrue(e.getMessage().contains("unsupported WAL format version " + (WalRecord.MAX_VERSION + 1)), e.getMessage());
    }

    @Test
    void aRememberedKeyMakesAVersion2RecordAndRoundTrips() throws Exception {
        byte[] hash = new byte[32];
        hash[31] = 9;
        WalRecord r = new WalRecord(INC, 3, List.of(new WalOp.Delete("x"), new WalOp.Remember("key-1", hash, 204, 0, 1234L)));
        byte[] frame = r.encode();
        assertEquals(2, ByteBuffer.wrap(frame).getShort(4));
        assertEquals(1, ByteBuffer.wrap(sample().encode()).getShort(4), "records without keys stay version 1");
        WalOp.Remember back = (WalOp.Remember) WalRecord.decode(frame, INC, 3).ops().get(1);
        assertEquals("key-1", back.key());
        assertArrayEquals(hash, back.requestHash());
        assertEquals(204, back.status());
        assertEquals(1234L, back.atMillis());
    }

    @Test
    void aRecordStoredUnderAnotherKeyIsRefused() {
        byte[] frame = sample().encode();
        WalException seq = assertThrows(WalException.class, () -> WalRecord.decode(frame, INC, 8));
        assertTrue(seq.getMessage().contains("sequence 7"), seq.getMessage());
        assertThrows(WalException.class, () -> WalRecord.decode(frame, INC + 2, 7));
    }

    @Test
    void keysSortBySequenceWithinAnIncarnation() {
        assertEquals("_vectors/_wal/docs/123456789abcdef1/00000000000000000012.lhw", WalStore.key("docs", INC, 12));
        assertTrue(WalStore.key("docs", INC, 9).compareTo(WalStore.key("docs", INC, 10)) < 0);
    }
}
