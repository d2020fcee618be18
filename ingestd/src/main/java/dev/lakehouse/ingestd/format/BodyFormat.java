package dev.lakehouse.ingestd.format;

import dev.lakehouse.common.model.ColumnSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One accepted body format: turns a spooled body into a zstd Parquet file for {@link dev.lakehouse.ingestd.pipeline.Ingester}. */
public interface BodyFormat {
    /**
     * Writes {@code body} as Parquet to {@code parquet}. {@code current} is the dataset's schema when appending to
     * an existing dataset (the result must then be written with it, or a 409 thrown by {@link SchemaCheck}), else
     * null. A body that cannot be read is a 400 naming what is wrong. A format may end its own {@code phases}
     * (sniff, checks, …); whatever it leaves unnamed is counted as the caller's "convert".
     */
    Converted convert(String dataset, List<ColumnSpec> current, Path body, Path parquet, Phases phases) throws IOException;

    /** The body's size as far as known when the ingest is planned (it may still be arriving). */
    default long expectedBytes(Path body) throws IOException {
        return java.nio.file.Files.size(body);
    }

    /** Discards what a format wrote so far before it writes its output again (see {@link #convert(String, List, Path, Path, Phases, OutputReset)}). */
    interface OutputReset {
        void reset() throws IOException;
    }

    /**
     * As {@link #convert(String, List, Path, Path, Phases)}; a format that may write {@code parquet} twice (a streamed
     * attempt, then the whole body) calls {@code reset} before the second write, so nothing of the first is kept.
     */
    default Converted convert(String dataset, List<ColumnSpec> current, Path body, Path parquet, Phases phases,
            OutputReset reset) throws IOException {
        return convert(dataset, current, body, parquet, phases);
    }
}
