package dev.lakehouse.vectord.wal;

import dev.lakehouse.vectord.engine.VectorIndex;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Recovery of one index: the snapshot's graph plus every WAL record after the sequence it covers, in order.
 * Replay stops at the first missing or invalid record: nothing after a gap is applied (a later record may
 * depend on the lost one), and that stop is reported. Records are fetched a few at a time ahead of the apply.
 */
public final class WalReplay {
    private static final int READ_AHEAD = 8;

    /**
     * @param lastSeq  the last sequence applied (the snapshot's if none was)
     * @param problem  why replay stopped early, or null
     * @param garbage  keys to delete: records the snapshot covers, other incarnations, and records after a stop
     */
    public record Result(long lastSeq, int records, long ops, String problem, List<String> garbage) {}

    private WalReplay() {}

    /** Transient storage errors propagate (the caller retries the whole load); bad records end the replay. */
    public static Result run(WalStore wal, ExecutorService readers, VectorIndex index, long incarnation,
                             long covered, List<WalStore.Entry> entries, Consumer<WalOp.Remember> remembered) {
        List<String> garbage = new ArrayList<>();
        List<WalStore.Entry> tail = new ArrayList<>();
        for (WalStore.Entry e : entries) {
            if (e.remembered()) {
                if (e.incarnation() != incarnation || e.sequence() != covered) {
                    garbage.add(e.key()); // the caller reads the one of this snapshot
                }
            } else if (e.incarnation() == incarnation && e.sequence() > covered) {
                tail.add(e);
            } else {
                garbage.add(e.key());
            }
        }
        ArrayDeque<CompletableFuture<WalRecord>> ahead = new ArrayDeque<>();
        long expected = covered + 1;
        int applied = 0;
        long ops = 0;
        String problem = null;
        int next = 0;
        for (int i = 0; i < tail.size(); i++) {
            WalStore.Entry e = tail.get(i);
            if (e.sequence() != expected) {
                problem = "WAL record " + expected + " is missing; replay stopped after record " + (expected - 1)
                        + ", " + (tail.size() - i) + " later record(s) not applied";
                tail.subList(i, tail.size()).forEach(x -> garbage.add(x.key()));
                break;
            }
            while (next < tail.size() && next < i + READ_AHEAD) {
                WalStore.Entry n = tail.get(next++);
                ahead.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return wal.read(n);
                    } catch (WalException x) {
                        throw new CompletionException(x);
                    }
                }, readers));
            }
            WalRecord record;
            try {
                record = ahead.poll().join();
            } catch (CompletionException x) {
                if (x.getCause() instanceof WalException bad) {
                    problem = "WAL record " + e.sequence() + " refused (" + bad.getMessage() + "); replay stopped after record "
                            + (expected - 1) + ", " + (tail.size() - i) + " record(s) from it on not applied";
                    tail.subList(i, tail.size()).forEach(t -> garbage.add(t.key()));
                    break;
                }
                throw x.getCause() instanceof RuntimeException r ? r : x;
            }
            index.apply(record.ops());
            for (WalOp op : record.ops()) {
                if (op instanceof WalOp.Remember r) {
                    remembered.accept(r);
                }
            }
            applied++;
            ops += record.ops().size();
            expected++;
        }
        ahead.forEach(f -> f.cancel(false));
        return new Result(expected - 1, applied, ops, problem, garbage);
    }
}
