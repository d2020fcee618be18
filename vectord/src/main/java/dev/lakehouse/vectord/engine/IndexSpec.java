package dev.lakehouse.vectord.engine;

import java.util.regex.Pattern;

/**
 * What an index is: its name, dimension, metric, HNSW parameters and quantization. Validated once here; the
 * same record is the LHV1 header.
 *
 * @param efSearch default search breadth when a query gives no {@code ef}
 * @param quantization how the graph holds vectors ({@code null} reads as {@link Quantization#NONE})
 */
public record IndexSpec(String name, int dim, Distance distance, int m, int efConstruction, int efSearch,
                        Quantization quantization) {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    public static final int MAX_DIM = ItemCodec.MAX_DIM;
    public static final int DEFAULT_M = 16;
    public static final int DEFAULT_EF_CONSTRUCTION = 200;
    public static final int DEFAULT_EF_SEARCH = 64;

    /** An unquantized index. */
    public IndexSpec(String name, int dim, Distance distance, int m, int efConstruction, int efSearch) {
        this(name, dim, distance, m, efConstruction, efSearch, Quantization.NONE);
    }

    public IndexSpec {
        validName(name);
        if (quantization == null) {
            quantization = Quantization.NONE;
        }
        if (dim < 1 || dim > MAX_DIM) {
            throw new IllegalArgumentException("dim must be between 1 and " + MAX_DIM + " (got " + dim + ")");
        }
        if (distance == null) {
            throw new IllegalArgumentException("distance must be one of cosine, dot, l2");
        }
        if (m < 2 || m > 128) {
            throw new IllegalArgumentException("m must be between 2 and 128 (got " + m + ")");
        }
        if (efConstruction < 1 || efConstruction > 4096) {
            throw new IllegalArgumentException("ef_construction must be between 1 and 4096 (got " + efConstruction + ")");
        }
        if (efSearch < 1 || efSearch > 10_000) {
            throw new IllegalArgumentException("ef_search must be between 1 and 10000 (got " + efSearch + ")");
        }
    }

    public static String validName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("index name must match " + NAME.pattern() + " (got "
                    + (name == null ? "none" : "'" + name + "'") + ")");
        }
        return name;
    }
}
