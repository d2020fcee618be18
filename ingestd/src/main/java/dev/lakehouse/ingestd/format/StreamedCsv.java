package dev.lakehouse.ingestd.format;

import dev.lakehouse.common.model.ColumnSpec;
import dev.lakehouse.ingestd.csv.DuckCsv;
import dev.lakehouse.ingestd.spool.BodyPipes;
import dev.lakehouse.ingestd.spool.GrowingSpool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CSV body converted while it still arrives (ADR 0047, session 11): once the spool holds the sniffer's sample,
 * that prefix is sniffed and checked, and DuckDB reads the body from a named pipe fed as it spools, with the
 * dialect and columns spelled out (never sniffing the pipe: DuckDB's sniffer would lose its first buffer). When the
 * whole body has spooled it is sniffed beside the conversion as {@link CsvFormat} would; the streamed result stands
 * only if that sniff equals the prefix's. Anything else — a different sniff, a check that reads past the first
 * lines or refuses, a failed conversion — discards the streamed output and runs {@link CsvFormat#convert} on the
 * whole spool, so every outcome other than a streamed success is exactly that path's. A small body takes it at once.
 */
public final class StreamedCsv implements BodyFormat {
    private static final Logger log = LoggerFactory.getLogger(StreamedCsv.class);

    /** Counts of streamed conversions that stood and of those that fell back, shared by a service's requests. */
    public record Counters(LongAdder streamed, LongAdder fallbacks) {
        public Counters() {
            this(new LongAdder(), new LongAdder());
        }

        public void bind(io.micrometer.core.instrument.MeterRegistry m) {
            io.micrometer.core.instrument.FunctionCounter.builder("ingestd_streamed_conversions", streamed, LongAdder::sum)
                    .description("CSV conversions that read the body while it arrived and stood").register(m);
            io.micrometer.core.instrument.FunctionCounter.builder("ingestd_streamed_conversion_fallbacks", fallbacks,
                    LongAdder::sum).description("streamed conversions discarded: the whole spooled body converted again")
                    .register(m);
        }
    }

    private final CsvFormat csv;
    private final GrowingSpool body;
    private final BodyPipes pipes;
    private final Counters counters;

    public StreamedCsv(CsvFormat csv, GrowingSpool body, BodyPipes pipes, Counters counters) {
        this.csv = csv;
        this.body = body;
        this.pipes = pipes;
        this.counters = counters;
    }

    @Override
    public long expectedBytes(Path ignored) {
        return body.expectedBytes();
    }

    @Override
    public Converted convert(String dataset, List<ColumnSpec> current, Path ignored, Path parquet, Phases phases)
            throws IOException {
        return convert(dataset, current, ignored, parquet, phases, () -> { });
    }

    @Override
    public Converted convert(String dataset, List<ColumnSpec> current, Path ignored, Path parquet, Phases phases,
            OutputReset reset) throws IOException {
        Path prefix = prefixOrNull();
        if (prefix != null) {
            try {
                phases.end("prefix");
                Optional<Converted> c = streamed(dataset, current, prefix, parquet, phases);
                if (c.isPresent()) {
                    counters.streamed().increment();
                    return c.get();
                }
                if (body.failure() == null) {
                    counters.fallbacks().increment(); // not when the body itself failed: that is the answer below
                }
            } finally {
                pipes.remove(prefix);
            }
        }
        Path whole = body.awaitComplete(); // the spool's failure is the answer
        if (prefix != null) {
            reset.reset(); // the streamed output and its upload go before the whole body is converted
        }
        phases.end(prefix == null ? "spool" : "fallback");
        return csv.convert(dataset, current, whole, parquet, phases);
    }

    /** The prefix, or null (a small body, or a spool failure: the caller's wait for the whole body reports it). */
    private Path prefixOrNull() throws IOException {
        try {
            return pipes.prefix(body);
        } catch (IOException e) {
            if (body.failure() == null && !(e instanceof java.io.InterruptedIOException)) {
                throw e;
            }
            return null;
        }
    }

    /** The streamed conversion, or empty when it cannot stand (its output is then discarded, {@link OutputReset}). */
    private Optional<Converted> streamed(String dataset, List<ColumnSpec> current, Path prefix, Path parquet,
            Phases phases) {
        // the whole-file sniff, as CsvFormat's first one, starts as soon as the body has spooled
        Future<DuckCsv.Sniffed> whole = pipes.threads().submit(() -> csv.sniff(body.awaitComplete()));
        try {
            DuckCsv.Sniffed sniffed = csv.sniff(prefix);
            phases.end("sniff");
            CsvFormat.Plan plan = csv.plan(dataset, current, prefix, sniffed);
            phases.end("checks");
            if (plan.readPastHeader()) {
                return fallback(dataset, "a check reads the whole body", null);
            }
            long rows = pipes.through(body, pipe -> csv.toParquet(pipe, plan, parquet));
            phases.end("convert");
            DuckCsv.Sniffed all = whole.get();
            phases.end("verify");
            if (!all.equals(sniffed)) {
                return fallback(dataset, "the whole body sniffs " + all + ", its prefix " + sniffed, null);
            }
            return Optional.of(csv.finish(dataset, current, body.file(), plan, rows, parquet, phases));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return fallback(dataset, "the streamed conversion failed", e);
        } finally {
            whole.cancel(true);
        }
    }

    private static Optional<Converted> fallback(String dataset, String why, Exception e) {
        log.info("ingest of {}: converting the whole spooled body again ({}{})", dataset, why,
                e == null ? "" : ": " + DuckCsv.firstLine(String.valueOf(e.getMessage())));
        return Optional.empty();
    }
}
