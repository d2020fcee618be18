package dev.lakehouse.vectord.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels on primitive floats, at the widest width this CPU has (512 bits with AVX-512, as the C++
 * library's {@code -march=native} build). Four independent accumulators: one FMA chain would wait on its own
 * latency every step. Only loaded when the JVM runs with {@code --add-modules jdk.incubator.vector}.
 */
final class SimdKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SimdKernels() {}

    static int bits() {
        return S.vectorBitSize();
    }

    /** {@code 1 - u·v}. */
    static float dotDistance(float[] u, float[] v) {
        int n = u.length;
        int i = 0;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        for (; i + 4 * L <= n; i += 4 * L) {
            a0 = FloatVector.fromArray(S, u, i).fma(FloatVector.fromArray(S, v, i), a0);
            a1 = FloatVector.fromArray(S, u, i + L).fma(FloatVector.fromArray(S, v, i + L), a1);
            a2 = FloatVector.fromArray(S, u, i + 2 * L).fma(FloatVector.fromArray(S, v, i + 2 * L), a2);
            a3 = FloatVector.fromArray(S, u, i + 3 * L).fma(FloatVector.fromArray(S, v, i + 3 * L), a3);
        }
        for (; i + L <= n; i += L) {
            a0 = FloatVector.fromArray(S, u, i).fma(FloatVector.fromArray(S, v, i), a0);
        }
        float dot = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            dot += u[i] * v[i];
        }
        return 1f - dot;
    }

    /** {@code |u - v|}. */
    static float l2(float[] u, float[] v) {
        int n = u.length;
        int i = 0;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        for (; i + 2 * L <= n; i += 2 * L) {
            FloatVector d0 = FloatVector.fromArray(S, u, i).sub(FloatVector.fromArray(S, v, i));
            FloatVector d1 = FloatVector.fromArray(S, u, i + L).sub(FloatVector.fromArray(S, v, i + L));
            a0 = d0.fma(d0, a0);
            a1 = d1.fma(d1, a1);
        }
        for (; i + L <= n; i += L) {
            FloatVector d0 = FloatVector.fromArray(S, u, i).sub(FloatVector.fromArray(S, v, i));
            a0 = d0.fma(d0, a0);
        }
        float sum = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float d = u[i] - v[i];
            sum += d * d;
        }
        return (float) Math.sqrt(sum);
    }
}
