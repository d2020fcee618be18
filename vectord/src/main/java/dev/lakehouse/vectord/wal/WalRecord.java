package dev.lakehouse.vectord.wal;

import dev.lakehouse.vectord.engine.VectorItem;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One WAL record: every change of one group commit (one or more whole add/delete batches), as one small
 * self-validating object. The frame follows Lucene's codec header/footer idea: a fixed header that says what
 * and which version the bytes are, and a footer whose checksum covers everything before it.
 *
 * <pre>
 *   "LHW1"            4 bytes magic
 *   format version    u16 (big-endian): 1, or 2 when the record holds a remember op; readers accept
 *                     {@link #MIN_VERSION}..{@link #MAX_VERSION} (a version-1 reader refuses a 2 by name)
 *   flags             u16, 0 (reserved)
 *   incarnation       u64: which life of the index (a new one at every create; a delete + recreate never
 *                     replays the old life's records)
 *   sequence          u64: 1, 2, 3... within an incarnation; a snapshot records the last one it covers
 *   op count          u32
 *   payload length P  u32
 *   payload           P bytes: op count ops, each
 *                       u8 kind (1 put, 2 delete, 3 remember) | u16 id (or key) length | id UTF-8
 *                       put only: u32 dim | dim float32 little-endian | i32 metadata length (-1: none) | UTF-8
 *                       remember only (version 2): 32 bytes SHA-256 of the request | u16 status | u32 added
 *                       | u64 accepted at (epoch ms)
 *   footer            u32 CRC32C of every byte before the footer | "LHWE"
 * </pre>
 *
 * A reader checks length, magic, version, footer and checksum before it interprets any payload byte, so a
 * truncated or altered record is refused whole: a batch is never half applied.
 */
public record WalRecord(long incarnation, long sequence, List<WalOp> ops) {
    public static final byte[] MAGIC = "LHW1".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] END = "LHWE".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int MIN_VERSION = 1;
    public static final int MAX_VERSION = 2;
    public static final int HEADER = 4 + 2 + 2 + 8 + 8 + 4 + 4;
    public static final int FOOTER = 4 + 4;
    static final int PUT = 1;
    static final int DELETE = 2;
    static final int REMEMBER = 3;
    static final int MAX_DIM = 65_536;
    static final int MAX_METADATA = 64 * 1024;

    public WalRecord {
        ops = List.copyOf(ops);
    }

    /** The encoded frame. Records are small (one group of batches, already in memory as requests). */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + FOOTER + estimate());
        try {
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeShort(ops.stream().anyMatch(o -> o instanceof WalOp.Remember) ? 2 : VERSION);
            out.writeShort(0);
            out.writeLong(incarnation);
            out.writeLong(sequence);
            out.writeInt(ops.size());
            out.writeInt(0); // payload length, patched below
            for (WalOp op : ops) {
                if (op instanceof WalOp.Remember r) {
                    byte[] key = r.key().getBytes(StandardCharsets.UTF_8);
                    out.writeByte(REMEMBER);
                    out.writeShort(key.length);
                    out.write(key);
                    out.write(r.requestHash(), 0, 32);
                    out.writeShort(r.status());
                    out.writeInt(r.added());
                    out.writeLong(r.atMillis());
                    continue;
                }
                byte[] id = op.id().getBytes(StandardCharsets.UTF_8);
                out.writeByte(op instanceof WalOp.Put ? PUT : DELETE);
                out.writeShort(id.length);
                out.write(id);
                if (op instanceof WalOp.Put p) {
                    float[] v = p.item().vector();
                    out.writeInt(v.length);
                    ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asFloatBuffer().put(v);
                    out.write(buf.array());
                    if (p.item().metadataJson() == null) {
                        out.writeInt(-1);
                    } else {
                        byte[] meta = p.item().metadataJson().getBytes(StandardCharsets.UTF_8);
                        out.writeInt(meta.length);
                        out.write(meta);
                    }
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] frame = Arrays.copyOf(bytes.toByteArray(), bytes.size() + FOOTER);
        int payload = bytes.size() - HEADER;
        ByteBuffer.wrap(frame).putInt(HEADER - 4, payload);
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, bytes.size());
        ByteBuffer.wrap(frame, bytes.size(), FOOTER).putInt((int) crc.getValue()).put(END);
        return frame;
    }

    private int estimate() {
        int n = 0;
        for (WalOp op : ops) {
            n += op.id() == null ? 64 : 3 + op.id().length() * 3;
            if (op instanceof WalOp.Put p) {
                n += 8 + p.item().vector().length * Float.BYTES
                        + (p.item().metadataJson() == null ? 0 : p.item().metadataJson().length() * 3);
            }
        }
        return n;
    }

    /**
     * Decodes and verifies one record. {@code expectedIncarnation}/{@code expectedSequence} are what the key
     * it was stored under says; a record claiming anything else is refused.
     */
    public static WalRecord decode(byte[] frame, long expectedIncarnation, long expectedSequence) throws WalException {
        if (frame.length < HEADER + FOOTER) {
            throw new WalException("torn: " + frame.length + " bytes is shorter than a WAL header and footer");
        }
        if (!Arrays.equals(frame, 0, 4, MAGIC, 0, 4)) {
            throw new WalException("not a WAL record (magic is not LHW1)");
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.position(4);
        int version = Short.toUnsignedInt(b.getShort());
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new WalException("unsupported WAL format version " + version + " (this build reads "
                    + MIN_VERSION + ".." + MAX_VERSION + ")");
        }
        b.getShort();
        long incarnation = b.getLong();
        long sequence = b.getLong();
        int count = b.getInt();
        long payload = Integer.toUnsignedLong(b.getInt());
        if (HEADER + payload + FOOTER != frame.length) {
            throw new WalException("torn: header says " + payload + " payload bytes, record has "
                    + (frame.length - HEADER - FOOTER));
        }
        if (!Arrays.equals(frame, frame.length - 4, frame.length, END, 0, 4)) {
            throw new WalException("torn: no LHWE footer");
        }
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, frame.length - FOOTER);
        int stored = ByteBuffer.wrap(frame, frame.length - FOOTER, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new WalException(String.format("checksum mismatch: CRC32C is %08x, footer says %08x",
                    (int) crc.getValue(), stored));
        }
        if (incarnation != expectedIncarnation || sequence != expectedSequence) {
            throw new WalException("record says incarnation " + Long.toHexString(incarnation) + " sequence " + sequence
                    + ", its key says " + Long.toHexString(expectedIncarnation) + " sequence " + expectedSequence);
        }
        b.limit(frame.length - FOOTER);
        List<WalOp> ops = new ArrayList<>(Math.min(count, 1 << 16));
        try {
            for (int i = 0; i < count; i++) {
                int kind = b.get();
                byte[] id = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(id);
                String sid = new String(id, StandardCharsets.UTF_8);
                if (kind == DELETE) {
                    ops.add(new WalOp.Delete(sid));
                } else if (kind == REMEMBER && version >= 2) {
                    byte[] hash = new byte[32];
                    b.get(hash);
                    int status = Short.toUnsignedInt(b.getShort());
                    int added = b.getInt();
                    ops.add(new WalOp.Remember(sid, hash, status, added, b.getLong()));
                } else if (kind == PUT) {
                    int dim = b.getInt();
                    if (dim < 1 || dim > MAX_DIM) {
                        throw new WalException("op " + i + ": bad dimension " + dim);
                    }
                    float[] v = new float[dim];
                    b.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                    b.position(b.position() + dim * Float.BYTES);
                    int metaLen = b.getInt();
                    String meta = null;
                    if (metaLen > MAX_METADATA || metaLen < -1) {
                        throw new WalException("op " + i + ": bad metadata length " + metaLen);
                    } else if (metaLen >= 0) {
                        byte[] m = new byte[metaLen];
                        b.get(m);
                        meta = new String(m, StandardCharsets.UTF_8);
                    }
                    ops.add(new WalOp.Put(new VectorItem(sid, v, meta)));
                } else {
                    throw new WalException("op " + i + ": unknown kind " + kind);
                }
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new WalException("payload shorter than its " + count + " ops");
        }
        if (b.hasRemaining()) {
            throw new WalException(b.remaining() + " payload bytes after the last op");
        }
        return new WalRecord(incarnation, sequence, ops);
    }
}
