package dev.lakehouse.vectord.engine;

import java.util.Random;

/** Deterministic synthetic vectors: points scattered around random centres (tests, bench, scale checks). */
public final class ClusteredVectors {
    private ClusteredVectors() {}

    /** {@code n} vectors of {@code dim} around {@code clusters} Gaussian centres, each offset by {@code spread}·N(0,1). */
    public static float[][] generate(int n, int dim, int clusters, float spread, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int d = 0; d < dim; d++) {
                c[d] = (float) r.nextGaussian();
            }
        }
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centres[r.nextInt(clusters)];
            for (int d = 0; d < dim; d++) {
                out[i][d] = c[d] + spread * (float) r.nextGaussian();
            }
        }
        return out;
    }
}
