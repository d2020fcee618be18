package dev.lakehouse.vectord;

import java.util.Random;

/** Deterministic clustered test vectors (points scattered around random centres). */
public final class TestVectors {
    private TestVectors() {}

    public static float[][] clustered(int n, int dim, int clusters, long seed) {
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
                out[i][d] = c[d] + 0.35f * (float) r.nextGaussian();
            }
        }
        return out;
    }
}
