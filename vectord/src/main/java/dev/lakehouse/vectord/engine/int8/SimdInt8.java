package dev.lakehouse.vectord.engine.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API int8 kernels (JDK 17 has no byte dot-product instruction in the API, so no VNNI).
 * <ul>
 *   <li>dot: bytes widened to short lanes (a 256-bit load fills a 512-bit short vector), two products
 *   (each ≤ 127², so their sum ≤ 32,258 still fits a short) added in short lanes, then widened to int
 *   accumulators: in one run about 0.3× the time of the float kernel at 384 dimensions, against 0.45× for
 *   widening straight to int lanes.</li>
 *   <li>squared L2: a difference squared (≤ 254²) does not fit a short, so bytes are widened to int lanes.</li>
 * </ul>
 * Lane sums stay far below overflow (at most 65,536 dimensions spread over the lanes); only a squared L2
 * beyond 32,768 dimensions is reduced as longs.
 */
final class SimdInt8 {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = I.length();
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * Byte.SIZE));
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
    private static final int SL = S.length(); // twice L: one short vector widens into two int vectors
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(SL * Byte.SIZE));

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

    private static ShortVector shorts(byte[] a, int i) {
        return (ShortVector) ByteVector.fromArray(BS, a, i).convertShape(VectorOperators.B2S, S, 0);
    }

    static long dot(byte[] u, byte[] v) {
        int n = u.length;
        int i = 0;
        IntVector a0 = IntVector.zero(I);
        IntVector a1 = IntVector.zero(I);
        for (; i + 2 * SL <= n; i += 2 * SL) {
            ShortVector p = shorts(u, i).mul(shorts(v, i)).add(shorts(u, i + SL).mul(shorts(v, i + SL)));
            a0 = a0.add((IntVector) p.convertShape(VectorOperators.S2I, I, 0));
            a1 = a1.add((IntVector) p.convertShape(VectorOperators.S2I, I, 1));
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
