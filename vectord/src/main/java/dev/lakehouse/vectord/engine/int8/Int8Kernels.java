package dev.lakehouse.vectord.engine.int8;

import com.github.jelmerk.knn.DistanceFunction;
import com.github.jelmerk.knn.FloatDistanceFunction;
import dev.lakehouse.vectord.engine.Kernels;

/**
 * Graph distances on int8 codes. Both are the float distance up to a positive factor and offset ({@code scale²}
 * and 1), which the walk does not need: for {@code DOT} it is {@code -Σ a·b}, for {@code L2} {@code Σ (a-b)²}.
 * Enum singletons, as they are named in a saved graph (allow-listed by {@code GraphFilter}).
 */
public enum Int8Kernels implements DistanceFunction<byte[], Float>, FloatDistanceFunction<byte[]> {
    DOT, L2;

    /** The Vector API kernels when the float kernels use them too (same module check, same switch). */
    static final boolean SIMD = Kernels.MODE.startsWith("vector-api") && selfCheck();

    @Override
    public float floatDistance(byte[] u, byte[] v) {
        if (this == DOT) {
            return -(float) (SIMD ? SimdInt8.dot(u, v) : scalarDot(u, v));
        }
        return (float) (SIMD ? SimdInt8.squaredL2(u, v) : scalarSquaredL2(u, v));
    }

    @Override
    public Float distance(byte[] u, byte[] v) {
        return floatDistance(u, v);
    }

    static long scalarDot(byte[] u, byte[] v) {
        long s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }

    static long scalarSquaredL2(byte[] u, byte[] v) {
        long s = 0;
        for (int i = 0; i < u.length; i++) {
            int d = u[i] - v[i];
            s += d * d;
        }
        return s;
    }

    private static boolean selfCheck() {
        try {
            byte[] a = new byte[83];
            byte[] b = new byte[83];
            for (int i = 0; i < a.length; i++) {
                a[i] = (byte) (i * 3 - 127);
                b[i] = (byte) (127 - i);
            }
            return SimdInt8.dot(a, b) == scalarDot(a, b) && SimdInt8.squaredL2(a, b) == scalarSquaredL2(a, b);
        } catch (Throwable t) {
            return false;
        }
    }
}
