package dev.lakehouse.vectord.engine.int8;

import dev.lakehouse.vectord.engine.VectorItem;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * The vectors of an int8 index: its quantizer (calibrated on the first batch added) and the float originals
 * off the heap. Also the payload's float section, written before the graph:
 *
 * <pre>
 *   "LHQ8"  magic | u16 section version (1) | u32 dim | f32 scale (NaN: not calibrated) | u32 slots
 *   slots × dim little-endian f32
 * </pre>
 * The LHV1 trailer's CRC32C covers it with the rest of the file.
 */
public final class Int8Vectors {
    static final byte[] MAGIC = {'L', 'H', 'Q', '8'};
    static final int SECTION_VERSION = 1;
    static final int MIN_SECTION_VERSION = 1;

    private final int dim;
    private final MappedFloats floats;
    private volatile ScalarQuantizer quantizer;

    private Int8Vectors(int dim, MappedFloats floats, ScalarQuantizer quantizer) {
        this.dim = dim;
        this.floats = floats;
        this.quantizer = quantizer;
    }

    public static Int8Vectors create(int dim, Path cacheDir) {
        return new Int8Vectors(dim, MappedFloats.create(cacheDir, dim), null);
    }

    /** Calibrates on {@code batch} unless calibrated already (the first batch decides the scale for good). */
    public void calibrate(List<float[]> batch) {
        if (quantizer == null && !batch.isEmpty()) {
            synchronized (this) {
                if (quantizer == null) {
                    quantizer = ScalarQuantizer.calibrate(batch, dim);
                }
            }
        }
    }

    /** The scale, NaN before the first add. */
    public float scale() {
        ScalarQuantizer q = quantizer;
        return q == null ? Float.NaN : q.scale();
    }

    /** The graph's item for {@code item} (whose vector is prepared): codes on the heap, floats in a new slot. */
    public Int8Item store(VectorItem item) {
        calibrate(List.of(item.vector()));
        return new Int8Item(item.id(), quantizer.encode(item.vector()), item.metadataJson(), floats.add(item.vector()));
    }

    /** The item as the API sees it, its float original copied out of the slab. */
    public VectorItem item(Int8Item stored) {
        return new VectorItem(stored.id(), floats.get(stored.slot()), stored.metadataJson());
    }

    public void floats(Int8Item stored, float[] dst) {
        floats.get(stored.slot(), dst);
    }

    /** Reads one float per cache line of the item's floats (to bring them into cache) and returns their sum. */
    public float touch(Int8Item stored) {
        return floats.touch(stored.slot());
    }

    /** The query's codes; before calibration (an empty index) any scale will do. */
    public byte[] encode(float[] query) {
        ScalarQuantizer q = quantizer;
        return (q == null ? new ScalarQuantizer(1f) : q).encode(query);
    }

    public long offHeapBytes() {
        return floats.bytes();
    }

    public void writeSection(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        int slots = floats.slots();
        data.write(MAGIC);
        data.writeShort(SECTION_VERSION);
        data.writeInt(dim);
        data.writeFloat(scale());
        data.writeInt(slots);
        ByteBuffer buf = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[dim];
        for (int s = 0; s < slots; s++) {
            floats.get(s, v);
            buf.clear();
            buf.asFloatBuffer().put(v);
            data.write(buf.array());
        }
        data.flush();
    }

    /** Reads a float section into a new slab; reads exactly the section's bytes from {@code in}. */
    public static Int8Vectors readSection(InputStream in, int dim, Path cacheDir) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[4];
        data.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new InvalidObjectException("int8 index payload has no LHQ8 float section");
        }
        int version = data.readUnsignedShort();
        if (version < MIN_SECTION_VERSION || version > SECTION_VERSION) {
            throw new InvalidObjectException("float section version " + version + " (this build reads "
                    + MIN_SECTION_VERSION + ".." + SECTION_VERSION + ")");
        }
        int d = data.readInt();
        if (d != dim) {
            throw new InvalidObjectException("float section has dimension " + d + ", header says " + dim);
        }
        float scale = data.readFloat();
        int slots = data.readInt();
        if (slots < 0) {
            throw new InvalidObjectException("float section holds " + slots + " slots");
        }
        MappedFloats floats = MappedFloats.create(cacheDir, dim);
        byte[] raw = new byte[4 * dim];
        float[] v = new float[dim];
        for (int s = 0; s < slots; s++) {
            data.readFully(raw);
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            floats.add(v);
        }
        return new Int8Vectors(dim, floats, Float.isNaN(scale) ? null : new ScalarQuantizer(scale));
    }

    /** Checks that a loaded graph's items point into this slab. */
    public void checkSlot(Int8Item item) throws InvalidObjectException {
        if (item.slot() >= floats.slots() || item.codes().length != dim) {
            throw new InvalidObjectException("item " + item.id() + " points at float slot " + item.slot() + " of "
                    + floats.slots());
        }
    }
}
