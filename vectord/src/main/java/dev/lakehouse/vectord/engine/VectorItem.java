package dev.lakehouse.vectord.engine;

import com.github.jelmerk.knn.Item;

/**
 * One stored vector. Metadata is kept as its JSON text: it goes back to clients verbatim and is saved with
 * the graph as plain bytes, so no metadata value ever passes through Java deserialization.
 */
public record VectorItem(String id, float[] vector, String metadataJson) implements Item<String, float[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public int dimensions() {
        return vector.length;
    }
}
