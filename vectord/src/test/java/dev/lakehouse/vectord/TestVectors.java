package dev.lakehouse.vectord;

import dev.lakehouse.vectord.engine.ClusteredVectors;

/** Deterministic clustered test vectors (points scattered around random centres). */
public final class TestVectors {
    private TestVectors() {}

    public static float[][] clustered(int n, int dim, int clusters, long seed) {
        return ClusteredVectors.generate(n, dim, clusters, 0.35f, seed);
    }
}
