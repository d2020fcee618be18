package dev.lakehouse.vectord.lhv1;

import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import java.time.Instant;

/** The JSON header of an LHV1 file: the index's spec, its live item count and provenance. */
public record Lhv1Header(String name, int dim, Distance distance, int m, int efConstruction, int efSearch,
                         long count, String engine, Instant savedAt) {
    public static final String ENGINE = "hnswlib-core 1.1.2";

    public static Lhv1Header of(IndexSpec spec, long count) {
        return new Lhv1Header(spec.name(), spec.dim(), spec.distance(), spec.m(), spec.efConstruction(),
                spec.efSearch(), count, ENGINE, Instant.now());
    }

    public IndexSpec spec() {
        return new IndexSpec(name, dim, distance, m, efConstruction, efSearch);
    }
}
