package dev.lakehouse.vectord.engine;

import java.io.ObjectInputFilter;
import java.util.Set;

/**
 * The allow-list guarding Java deserialization of a saved graph. hnswlib writes the graph with
 * {@code ObjectOutputStream}; everything inside is primitives except these few objects, so any other class
 * named in the stream (a gadget chain, a foreign object) is rejected before it is instantiated.
 */
public final class GraphFilter implements ObjectInputFilter {
    static final Set<String> ALLOWED = Set.of(
            "com.github.jelmerk.knn.hnsw.HnswIndex",
            "java.util.Comparators$NaturalOrderComparator",
            "java.lang.Enum",
            Kernels.DotDistance.class.getName(),
            Kernels.L2Distance.class.getName(),
            ItemCodec.Ids.class.getName(),
            ItemCodec.Items.class.getName(),
            dev.lakehouse.vectord.engine.int8.Int8Kernels.class.getName(),
            ItemCodec.Int8Items.class.getName());
    static final long MAX_DEPTH = 8;
    static final long MAX_REFS = 64;
    static final long MAX_ARRAY = 0;

    public static final GraphFilter INSTANCE = new GraphFilter();

    private GraphFilter() {}

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH || info.references() > MAX_REFS) {
            return Status.REJECTED;
        }
        Class<?> c = info.serialClass();
        if (c == null) {
            return info.arrayLength() > MAX_ARRAY ? Status.REJECTED : Status.UNDECIDED;
        }
        if (c.isArray()) {
            return Status.REJECTED;
        }
        return ALLOWED.contains(c.getName()) ? Status.ALLOWED : Status.REJECTED;
    }
}
