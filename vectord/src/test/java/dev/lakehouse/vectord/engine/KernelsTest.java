package dev.lakehouse.vectord.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelsTest {
    @Test
    void theVectorApiKernelsAreTheOnesInUseAndAgreeWithTheScalarOnesAtEveryLength() {
        assertTrue(Kernels.MODE.startsWith("vector-api-"), "tests run with jdk.incubator.vector: " + Kernels.MODE);
        Random r = new Random(3);
        for (int dim = 1; dim <= 800; dim += dim < 70 ? 1 : 37) {
            float[] u = new float[dim];
            float[] v = new float[dim];
            for (int i = 0; i < dim; i++) {
                u[i] = (float) r.nextGaussian();
                v[i] = (float) r.nextGaussian();
            }
            float tol = 1e-4f * (float) Math.sqrt(dim);
            assertEquals(Kernels.scalarDotDistance(u, v), Kernels.DOT.distance(u, v), tol, "dot at dim " + dim);
            assertEquals(Kernels.scalarL2(u, v), Kernels.L2.distance(u, v), tol, "l2 at dim " + dim);
            assertEquals(Kernels.scalarDotDistance(u, v), ((com.github.jelmerk.knn.FloatDistanceFunction<float[]>) Kernels.DOT)
                    .floatDistance(u, v), tol, "primitive dot at dim " + dim);
        }
    }
}
