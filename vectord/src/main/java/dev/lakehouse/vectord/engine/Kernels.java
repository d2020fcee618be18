package dev.lakehouse.vectord.engine;

import com.github.jelmerk.knn.DistanceFunction;
import com.github.jelmerk.knn.FloatDistanceFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distance kernels. The classes that end up in a saved graph are the two tiny singletons here (allow-listed
 * by {@link GraphFilter}); they delegate to the fastest implementation this JVM
 * has: {@link SimdKernels} (Vector API, primitive floats) when started with {@code --add-modules
 * jdk.incubator.vector}, else unrolled scalar loops. The graph calls them through the fork's
 * {@link FloatDistanceFunction}, so no distance is boxed. Both compute the same quantities ({@code 1 - u·v} and {@code |u - v|}), so a
 * file saved by one loads in the other.
 */
public final class Kernels {
    private static final Logger log = LoggerFactory.getLogger(Kernels.class);

    private static final FloatDistanceFunction<float[]> DOT_IMPL;
    private static final FloatDistanceFunction<float[]> L2_IMPL;
    /** "vector-api-512" (its width in bits) or "scalar": which kernels this JVM uses. */
    public static final String MODE;

    static {
        FloatDistanceFunction<float[]> dot = Kernels::scalarDotDistance;
        FloatDistanceFunction<float[]> l2 = Kernels::scalarL2;
        String mode = "scalar";
        if (!Boolean.getBoolean("vectord.scalar") && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                dot = SimdKernels::dotDistance;
                l2 = SimdKernels::l2;
                float[] a = new float[77];
                float[] b = new float[77];
                for (int i = 0; i < a.length; i++) {
                    a[i] = i;
                    b[i] = 1;
                }
                float check = dot.floatDistance(a, b);
                float checkL2 = l2.floatDistance(a, b);
                if (check != scalarDotDistance(a, b) || Math.abs(checkL2 - scalarL2(a, b)) > 1e-3) {
                    throw new IllegalStateException("vector kernel self-check failed: " + check + ", " + checkL2);
                }
                mode = "vector-api-" + SimdKernels.bits();
            } catch (Throwable t) {
                log.warn("Vector API kernels unavailable ({}); using scalar kernels", t.toString());
                dot = Kernels::scalarDotDistance;
                l2 = Kernels::scalarL2;
            }
        }
        DOT_IMPL = dot;
        L2_IMPL = l2;
        MODE = mode;
    }

    private Kernels() {}

    /** {@code 1 - u·v}: inner-product distance (cosine distance on unit vectors). */
    static final DistanceFunction<float[], Float> DOT = new DotDistance();
    /** Euclidean distance. */
    static final DistanceFunction<float[], Float> L2 = new L2Distance();

    static final class DotDistance implements DistanceFunction<float[], Float>, FloatDistanceFunction<float[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public Float distance(float[] u, float[] v) {
            return DOT_IMPL.floatDistance(u, v);
        }

        @Override
        public float floatDistance(float[] u, float[] v) {
            return DOT_IMPL.floatDistance(u, v);
        }

        private Object readResolve() {
            return DOT;
        }
    }

    static final class L2Distance implements DistanceFunction<float[], Float>, FloatDistanceFunction<float[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public Float distance(float[] u, float[] v) {
            return L2_IMPL.floatDistance(u, v);
        }

        @Override
        public float floatDistance(float[] u, float[] v) {
            return L2_IMPL.floatDistance(u, v);
        }

        private Object readResolve() {
            return L2;
        }
    }

    /** {@code u·v} with the kernel the index uses (Vector API when available): the fair brute-force reference. */
    public static float fastDot(float[] u, float[] v) {
        return 1f - DOT_IMPL.floatDistance(u, v);
    }

    public static float dot(float[] u, float[] v) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        int n = u.length;
        for (; i + 3 < n; i += 4) {
            s0 += u[i] * v[i];
            s1 += u[i + 1] * v[i + 1];
            s2 += u[i + 2] * v[i + 2];
            s3 += u[i + 3] * v[i + 3];
        }
        for (; i < n; i++) {
            s0 += u[i] * v[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float scalarDotDistance(float[] u, float[] v) {
        return 1f - dot(u, v);
    }

    static float scalarL2(float[] u, float[] v) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        int n = u.length;
        for (; i + 3 < n; i += 4) {
            float d0 = u[i] - v[i];
            float d1 = u[i + 1] - v[i + 1];
            float d2 = u[i + 2] - v[i + 2];
            float d3 = u[i + 3] - v[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            float d = u[i] - v[i];
            s0 += d * d;
        }
        return (float) Math.sqrt((s0 + s1) + (s2 + s3));
    }

    /** Scales {@code v} to unit length in place; false if it has zero (or non-finite) length. */
    public static boolean normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            return false;
        }
        // divide in double: 1/norm of a tiny vector (e.g. all 1e-45) overflows a float to Infinity
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
        return true;
    }
}
