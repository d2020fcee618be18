package dev.lakehouse.vectord.engine.int8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Int8KernelsTest {
    @Test
    void theVectorApiInt8KernelsAreInUseAndAgreeExactlyWithTheScalarOnesAtEveryLength() {
        assertTrue(Int8Kernels.SIMD, "tests run with jdk.incubator.vector");
        Random r = new Random(5);
        for (int dim = 1; dim <= 800; dim += dim < 70 ? 1 : 37) {
            byte[] u = new byte[dim];
            byte[] v = new byte[dim];
            for (int i = 0; i < dim; i++) {
                u[i] = (byte) (r.nextInt(255) - 127);
                v[i] = (byte) (r.nextInt(255) - 127);
            }
            assertEquals(-(float) Int8Kernels.scalarDot(u, v), Int8Kernels.DOT.floatDistance(u, v), "dot at dim " + dim);
            assertEquals((float) Int8Kernels.scalarSquaredL2(u, v), Int8Kernels.L2.floatDistance(u, v), "l2 at dim " + dim);
        }
    }

    @Test
    void theExtremesOfTheCodeRangeDoNotOverflowAtTheLargestDimension() {
        byte[] plus = new byte[65_536];
        byte[] minus = new byte[65_536];
        java.util.Arrays.fill(plus, (byte) 127);
        java.util.Arrays.fill(minus, (byte) -127);
        assertEquals(254L * 254 * 65_536, SimdInt8.squaredL2(plus, minus));
        assertEquals(-127L * 127 * 65_536, SimdInt8.dot(plus, minus));
    }

    @Test
    void theScaleIsAQuantileOfTheMagnitudesSoAnOutlierSaturatesInsteadOfWastingTheRange() {
        List<float[]> sample = new java.util.ArrayList<>();
        for (int s = 0; s < 20; s++) {
            float[] v = new float[1000];
            for (int i = 0; i < v.length; i++) {
                v[i] = (i % 2 == 0 ? 1 : -1) * (i % 100) / 100f; // magnitudes 0 .. 0.99
            }
            sample.add(v);
        }
        float[] v = sample.get(0);
        v[7] = 50f;
        ScalarQuantizer q = ScalarQuantizer.calibrate(sample, v.length);
        assertTrue(q.scale() < 1f / 127 * 1.01f && q.scale() > 0.9f / 127, "scale " + q.scale());
        byte[] c = q.encode(v);
        assertEquals(127, c[7], "the outlier saturates");
        assertEquals(Math.round(v[10] / q.scale()), c[10]);
        assertEquals(Math.round(v[11] / q.scale()), c[11]);
    }
}
