package dev.lakehouse.vectord.engine.int8;

import com.github.jelmerk.knn.ObjectSerializer;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.charset.StandardCharsets;

/**
 * How an int8 item is written inside the graph: id, codes, float slot, metadata, as primitives and bytes
 * (the floats themselves are in the payload's float section, see {@link Int8Vectors}). An enum singleton,
 * allow-listed by {@code GraphFilter}.
 */
public enum Int8Codec implements ObjectSerializer<Int8Item> {
    INSTANCE;

    static final int MAX_METADATA_BYTES = 64 * 1024;
    static final int MAX_DIM = 65_536;

    @Override
    public void write(Int8Item item, ObjectOutput out) throws IOException {
        out.writeUTF(item.id());
        out.writeInt(item.codes().length);
        out.write(item.codes());
        out.writeInt(item.slot());
        if (item.metadataJson() == null) {
            out.writeInt(-1);
        } else {
            byte[] meta = item.metadataJson().getBytes(StandardCharsets.UTF_8);
            out.writeInt(meta.length);
            out.write(meta);
        }
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
        int metaLen = in.readInt();
        String meta = null;
        if (metaLen > MAX_METADATA_BYTES) {
            throw new InvalidObjectException("item " + id + ": metadata of " + metaLen + " bytes");
        } else if (metaLen >= 0) {
            byte[] m = new byte[metaLen];
            in.readFully(m);
            meta = new String(m, StandardCharsets.UTF_8);
        }
        return new Int8Item(id, codes, meta, slot);
    }
}
