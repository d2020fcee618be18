package dev.lakehouse.vectord.engine.int8;

import com.github.jelmerk.knn.Item;

/**
 * What an int8 index's graph node holds: the codes it walks on and where its float original lies in the
 * {@link MappedFloats} slab ({@code slot}). The float vector never sits on the heap. Written in a graph by
 * {@code ItemCodec.Int8Items}.
 */
public record Int8Item(String id, byte[] codes, String metadataJson, int slot) implements Item<String, byte[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] vector() {
        return codes;
    }

    @Override
    public int dimensions() {
        return codes.length;
    }
}
