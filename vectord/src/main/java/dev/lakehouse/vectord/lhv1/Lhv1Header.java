package dev.lakehouse.vectord.lhv1;

import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.Quantization;
import java.time.Instant;

/**
 * The JSON header of an LHV1 file: the index's spec, its live item count and provenance, and which WAL it
 * continues: {@code incarnation} (the index's life, null in files written before the WAL: read as 0) and
 * {@code walSeq}, the last WAL sequence this snapshot covers (recovery replays the records after it).
 * {@code quantization} is absent for an unquantized index (as in every file written before it existed) and
 * {@code "int8"} otherwise; such a file is LHV1 version 2 (see {@link Lhv1#versionFor}).
 */
public record Lhv1Header(String name, int dim, Distance distance, int m, int efConstruction, int efSearch,
                         long count, String engine, Instant savedAt, Long incarnation, Long walSeq, Long tombstones,
                         String quantization) {
    public static final String ENGINE = "hnswlib-core 1.1.2";

    public static Lhv1Header of(IndexSpec spec, long count) {
        return of(spec, count, 0, 0, 0);
    }

    public static Lhv1Header of(IndexSpec spec, long count, long incarnation, long walSeq, long tombstones) {
        return new Lhv1Header(spec.name(), spec.dim(), spec.distance(), spec.m(), spec.efConstruction(),
                spec.efSearch(), count, ENGINE, Instant.now(), incarnation, walSeq, tombstones,
                spec.quantization() == Quantization.NONE ? null : spec.quantization().wire());
    }

    public IndexSpec spec() {
        return new IndexSpec(name, dim, distance, m, efConstruction, efSearch, Quantization.parse(quantization));
    }

    public long incarnationOrZero() {
        return incarnation == null ? 0 : incarnation;
    }

    public long walSeqOrZero() {
        return walSeq == null ? 0 : walSeq;
    }
}
