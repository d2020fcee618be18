package dev.lakehouse.vectord.engine.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 kernels: bytes widened to int lanes (a 128-bit load fills a 512-bit int vector), multiplied
 * and summed in two independent accumulators. Lane sums stay far below overflow (|code| ≤ 127, at most
 * 65,536 dimensions spread over the lanes); only a squared L2 beyond 32,768 dimensions is reduced as longs.
 */
final class SimdInt8 {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = I.length();
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * Byte.SIZE));

    /** Up to this many dimensions a squared L2 of codes (≤ 254² each) fits an int; beyond, lanes add as longs. */
    static final int INT_SAFE_L2 = 32_768;

    private SimdInt8() {}

    private static long longSum(IntVector a) {
        long s = 0;
        for (int x : a.toArray()) {
            s += x;
        }
        return s;
    }

    private static IntVector widen(byte[] a, int i) {
        return (IntVector) ByteVector.fromArray(B, a, i).convertShape(VectorOperators.B2I, I, 0);
    }

    static long dot(byte[] u, byte[] v) {
        int n = u.length;
        int i = 0;
        IntVector a0 = IntVector.zero(I);
        IntVector a1 = IntVector.zero(I);
        for (; i + 2 * L <= n; i += 2 * L) {
            a0 = a0.add(widen(u, i).mul(widen(v, i)));
            a1 = a1.add(widen(u, i + L).mul(widen(v, i + L)));
        }
        for (; i + L <= n; i += L) {
            a0 = a0.add(widen(u, i).mul(widen(v, i)));
        }
        long s = a0.add(a1).reduceLanes(VectorOperators.ADD); // ≤ 127² · 65,536 < 2³¹
        for (; i < n; i++) {
            s += u[i] * v[i];
        }
        return s;
    }

    static long squaredL2(byte[] u, byte[] v) {
        int n = u.length;
        int i = 0;
        IntVector a0 = IntVector.zero(I);
        IntVector a1 = IntVector.zero(I);
        for (; i + 2 * L <= n; i += 2 * L) {
            IntVector d0 = widen(u, i).sub(widen(v, i));
            IntVector d1 = widen(u, i + L).sub(widen(v, i + L));
            a0 = a0.add(d0.mul(d0));
            a1 = a1.add(d1.mul(d1));
        }
        for (; i + L <= n; i += L) {
            IntVector d0 = widen(u, i).sub(widen(v, i));
            a0 = a0.add(d0.mul(d0));
        }
        long s = n <= INT_SAFE_L2 ? a0.add(a1).reduceLanes(VectorOperators.ADD) : longSum(a0) + longSum(a1);
        for (; i < n; i++) {
            int d = u[i] - v[i];
            s += d * d;
        }
        return s;
    }
}
