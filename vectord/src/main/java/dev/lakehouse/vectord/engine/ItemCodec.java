package dev.lakehouse.vectord.engine;

import com.github.jelmerk.knn.ObjectSerializer;
import dev.lakehouse.vectord.engine.int8.Int8Item;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * How ids and items are written inside the hnswlib graph: as primitives and raw bytes, never as objects.
 * Enum singletons, so the only class the graph stream names for them is the enum itself.
 */
final class ItemCodec {
    private ItemCodec() {}

    /** Longest metadata JSON kept per item. */
    static final int MAX_METADATA_BYTES = 64 * 1024;
    static final int MAX_DIM = 65_536;

    enum Ids implements ObjectSerializer<String> {
        INSTANCE;

        @Override
        public void write(String id, ObjectOutput out) throws IOException {
            out.writeUTF(id);
        }

        @Override
        public String read(ObjectInput in) throws IOException {
            return in.readUTF();
        }
    }

    enum Items implements ObjectSerializer<VectorItem> {
        INSTANCE;

        @Override
        public void write(VectorItem item, ObjectOutput out) throws IOException {
            out.writeUTF(item.id());
            float[] v = item.vector();
            out.writeInt(v.length);
            ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(v);
            out.write(buf.array());
            writeMetadata(item.metadataJson(), out);
        }

        @Override
        public VectorItem read(ObjectInput in) throws IOException {
            String id = in.readUTF();
            int dim = in.readInt();
            if (dim <= 0 || dim > MAX_DIM) {
                throw new InvalidObjectException("item " + id + ": bad dimension " + dim);
            }
            byte[] raw = new byte[dim * Float.BYTES];
            in.readFully(raw);
            float[] v = new float[dim];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return new VectorItem(id, v, readMetadata(id, in));
        }
    }

    /** An int8 index's item: id, codes, float slot (the floats are in the payload's float section), metadata. */
    enum Int8Items implements ObjectSerializer<Int8Item> {
        INSTANCE;

        @Override
        public void write(Int8Item item, ObjectOutput out) throws IOException {
            out.writeUTF(item.id());
            out.writeInt(item.codes().length);
            out.write(item.codes());
            out.writeInt(item.slot());
            writeMetadata(item.metadataJson(), out);
        }

        @Override
        public Int8Item read(ObjectInput in) throws IOException {
            String id = in.readUTF();
            int dim = in.readInt();
            if (dim <= 0 || dim > MAX_DIM) {
                throw new InvalidObjectException("item " + id + ": bad dimension " + dim);
            }
            byte[] codes = new byte[dim];
            in.readFully(codes);
            int slot = in.readInt();
            if (slot < 0) {
                throw new InvalidObjectException("item " + id + ": bad float slot " + slot);
            }
            return new Int8Item(id, codes, readMetadata(id, in), slot);
        }
    }

    private static void writeMetadata(String json, ObjectOutput out) throws IOException {
        if (json == null) {
            out.writeInt(-1);
        } else {
            byte[] meta = json.getBytes(StandardCharsets.UTF_8);
            out.writeInt(meta.length);
            out.write(meta);
        }
    }

    private static String readMetadata(String id, ObjectInput in) throws IOException {
        int metaLen = in.readInt();
        if (metaLen > MAX_METADATA_BYTES) {
            throw new InvalidObjectException("item " + id + ": metadata of " + metaLen + " bytes");
        } else if (metaLen < 0) {
            return null;
        }
        byte[] m = new byte[metaLen];
        in.readFully(m);
        return new String(m, StandardCharsets.UTF_8);
    }
}
