package dev.lakehouse.vectord.engine.int8;

import java.util.Arrays;
import java.util.List;

/**
 * Symmetric int8 scalar quantization with one scale per index (ADR 0034): {@code x ≈ scale · code},
 * {@code code ∈ [-127, 127]}. One scale (not one per dimension) keeps every distance a plain integer dot or
 * squared difference of codes, so the walk needs no per-vector corrections; the scale is the
 * {@code max(0.999, 1 - 1/(dim+1))} quantile of |x| over the calibration sample (Lucene's default confidence
 * interval, floored),
 * so a few outliers do not waste the code range. Values beyond it saturate; rescoring on the float originals
 * repairs the order of the top candidates.
 */
public final class ScalarQuantizer {
    /** At most this many values are sorted to find the quantile (a strided sample of larger batches). */
    static final int MAX_SAMPLE = 1 << 20;
    /** Low dimensions would clip too much under Lucene's {@code 1 - 1/(dim+1)} (1.5% of values at 64). */
    static final double MIN_CONFIDENCE = 0.999;

    private final float scale;
    private final float inverse;

    public ScalarQuantizer(float scale) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("quantizer scale must be positive and finite (got " + scale + ")");
        }
        this.scale = scale;
        this.inverse = 1f / scale;
    }

    /** The quantizer for vectors like {@code sample} (non-empty, all of dimension {@code dim}). */
    public static ScalarQuantizer calibrate(List<float[]> sample, int dim) {
        long total = (long) sample.size() * dim;
        int stride = (int) Math.max(1, (total + MAX_SAMPLE - 1) / MAX_SAMPLE);
        float[] abs = new float[(int) ((total + stride - 1) / stride)];
        int n = 0;
        for (long i = 0; i < total && n < abs.length; i += stride) {
            abs[n++] = Math.abs(sample.get((int) (i / dim))[(int) (i % dim)]);
        }
        Arrays.sort(abs, 0, n);
        double confidence = Math.max(MIN_CONFIDENCE, 1.0 - 1.0 / (dim + 1));
        int at = Math.max(0, Math.min(n - 1, (int) Math.ceil(confidence * n) - 1));
        float q = n == 0 ? 0 : abs[at];
        if (!(q > 0)) {
            q = n == 0 ? 1 : Math.max(abs[n - 1], Float.MIN_NORMAL); // all zeros: any scale encodes them exactly
        }
        return new ScalarQuantizer(q / 127f);
    }

    public float scale() {
        return scale;
    }

    public byte[] encode(float[] v) {
        byte[] c = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            int x = Math.round(v[i] * inverse);
            c[i] = (byte) Math.max(-127, Math.min(127, x));
        }
        return c;
    }
}
