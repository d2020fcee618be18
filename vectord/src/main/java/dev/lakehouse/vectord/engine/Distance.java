package dev.lakehouse.vectord.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.github.jelmerk.knn.DistanceFunction;
import java.util.Locale;

/**
 * The three metrics an index can use. Scores on the wire are "higher is closer" for all three: cosine
 * similarity, inner product, and the negated Euclidean distance.
 *
 * <p>Cosine indexes store unit vectors and search with the inner-product kernel ({@code 1 - u·v} equals
 * the cosine distance for unit vectors), which saves two norms per distance evaluation.
 */
public enum Distance {
    COSINE, DOT, L2;

    @JsonCreator
    public static Distance parse(String s) {
        if (s == null) {
            return COSINE;
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("distance must be one of cosine, dot, l2 (got '" + s + "')");
        }
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when stored and query vectors are scaled to unit length first. */
    public boolean normalizes() {
        return this == COSINE;
    }

    DistanceFunction<float[], Float> function() {
        return this == L2 ? Kernels.L2 : Kernels.DOT;
    }

    /** The wire score for a graph distance. */
    public float score(float distance) {
        return this == L2 ? -distance : 1f - distance;
    }
}
