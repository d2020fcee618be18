package dev.lakehouse.vectord.wal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * The WAL writer of one index: batches submitted while a PUT is in flight (or within {@code groupDelayNanos}
 * of the first) go out together as ONE record, and each caller learns when its batch is durable.
 *
 * <p>Order: records are written one at a time, sequence after sequence. After record g is stored, its
 * batches are released to their callers, who apply them to the graph on their own threads (adds run in
 * parallel); batches of g that touch a common id are released one wave after another, in record order, and
 * g's batches wait only for earlier records still applying that touch one of g's ids (ADR 0051: two clients'
 * batches of fresh ids land in consecutive records and apply side by side). So the graph changes in WAL order
 * per id, and {@link #appliedThrough()} — every record up to it fully applied, the contiguous prefix — is what
 * a snapshot can say it covers. The next record's PUT overlaps the previous records' applies.
 *
 * <p>A failed PUT fails every batch of that record (the callers answer with the error; the sequence is used
 * again by the next record, overwriting whatever the failed PUT may have left).
 */
public final class GroupCommit {
    /** Writes one record durably (throws if it could not). */
    @FunctionalInterface
    public interface Sink {
        void put(WalRecord record);
    }

    /** The index was dropped: its WAL takes no more batches. */
    public static final class Closed extends IllegalStateException {
        public Closed(String message) {
            super(message);
        }
    }

    private final long incarnation;
    private final Sink sink;
    private final Executor executor;
    private final long groupDelayNanos;
    private final long maxRecordBytes;
    private final LongConsumer onStored;
    private final Object lock = new Object();
    private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
    private boolean running;
    private boolean closed;
    private String closedReason;
    private long nextSeq;
    private volatile long appliedThrough;
    /** Released records some batch of which is still applying, by sequence (guarded by itself). */
    private final TreeMap<Long, Applying> applying = new TreeMap<>();
    private long releasedThrough;

    /** A released record's ids and the latch its batches count down once applied. */
    private record Applying(Set<String> ids, CountDownLatch all) {}

    /**
     * @param lastSeq the last sequence already in the log (recovery's end), so the next record is lastSeq+1
     * @param onStored told the byte size of every record stored (snapshot trigger)
     */
    public GroupCommit(long incarnation, long lastSeq, Sink sink, Executor executor, long groupDelayNanos,
                       long maxRecordBytes, LongConsumer onStored) {
        this.incarnation = incarnation;
        this.nextSeq = lastSeq + 1;
        this.appliedThrough = lastSeq;
        this.sink = sink;
        this.executor = executor;
        this.groupDelayNanos = groupDelayNanos;
        this.maxRecordBytes = maxRecordBytes;
        this.onStored = onStored;
    }

    /** One submitted batch: wait for {@link #awaitDurable}, apply it, then call {@link #applied} (always). */
    public static final class Ticket {
        final List<WalOp> ops;
        final long bytes;
        final CompletableFuture<Long> durable = new CompletableFuture<>();
        Runnable done;
        private boolean counted;

        Ticket(List<WalOp> ops) {
            this.ops = ops;
            long b = 0;
            for (WalOp op : ops) {
                b += op.id() == null ? 64 : 8 + op.id().length() + (op instanceof WalOp.Put p ? 8L + 4L * p.item().vector().length
                        + (p.item().metadataJson() == null ? 0 : p.item().metadataJson().length()) : 0);
            }
            this.bytes = b;
        }

        /** The record's sequence once it is stored (and this batch's turn to apply has come). */
        public long awaitDurable() {
            try {
                return durable.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the WAL", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /** Must follow a successful {@link #awaitDurable}, whether or not the apply worked. */
        public synchronized void applied() {
            if (!counted && done != null) {
                counted = true;
                done.run();
            }
        }
    }

    public Ticket submit(List<WalOp> ops) {
        Ticket t = new Ticket(List.copyOf(ops));
        synchronized (lock) {
            if (closed) {
                throw new Closed(closedReason);
            }
            queue.add(t);
            if (!running) {
                running = true;
                executor.execute(this::drain);
            }
        }
        return t;
    }

    /** Every record up to this sequence is stored and fully applied to the graph. */
    public long appliedThrough() {
        return appliedThrough;
    }

    /** Refuses new batches; queued ones fail with {@code reason}. */
    public void close(String reason) {
        List<Ticket> failed;
        Closed why = new Closed(reason);
        synchronized (lock) {
            closed = true;
            closedReason = reason;
            failed = new ArrayList<>(queue);
            queue.clear();
        }
        failed.forEach(t -> t.durable.completeExceptionally(why));
    }

    private void drain() {
        while (true) {
            if (groupDelayNanos > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(groupDelayNanos);
            }
            List<Ticket> group = new ArrayList<>();
            long seq;
            synchronized (lock) {
                long bytes = 0;
                while (!queue.isEmpty() && (group.isEmpty() || bytes + queue.peek().bytes <= maxRecordBytes)) {
                    Ticket t = queue.poll();
                    bytes += t.bytes;
                    group.add(t);
                }
                if (group.isEmpty()) {
                    running = false;
                    return;
                }
                seq = nextSeq;
            }
            List<WalOp> ops = new ArrayList<>();
            group.forEach(t -> ops.addAll(t.ops));
            WalRecord record = new WalRecord(incarnation, seq, ops);
            long size;
            try {
                sink.put(record);
                size = group.stream().mapToLong(t -> t.bytes).sum() + WalRecord.HEADER + WalRecord.FOOTER;
            } catch (RuntimeException e) {
                group.forEach(t -> t.durable.completeExceptionally(e));
                continue;
            }
            synchronized (lock) {
                nextSeq = seq + 1;
            }
            release(group, seq);
            onStored.accept(size);
        }
    }

    /**
     * Waits for the earlier records still applying that share an id with this one, then lets this record's
     * batches apply, wave by wave.
     */
    private void release(List<Ticket> group, long seq) {
        Set<String> recordIds = new HashSet<>();
        for (Ticket t : group) {
            for (WalOp op : t.ops) {
                if (op.id() != null) {
                    recordIds.add(op.id());
                }
            }
        }
        List<CountDownLatch> before = new ArrayList<>();
        synchronized (applying) {
            for (Applying a : applying.values()) {
                if (shares(a.ids(), recordIds)) {
                    before.add(a.all());
                }
            }
        }
        before.forEach(GroupCommit::awaitQuietly);
        List<List<Ticket>> waves = new ArrayList<>();
        List<Ticket> wave = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Ticket t : group) {
            boolean clash = false;
            for (WalOp op : t.ops) {
                if (op.id() != null && ids.contains(op.id())) {
                    clash = true;
                    break;
                }
            }
            if (clash) {
                waves.add(wave);
                wave = new ArrayList<>();
                ids.clear();
            }
            t.ops.forEach(op -> {
                if (op.id() != null) {
                    ids.add(op.id());
                }
            });
            wave.add(t);
        }
        waves.add(wave);
        CountDownLatch all = new CountDownLatch(group.size());
        synchronized (applying) {
            applying.put(seq, new Applying(recordIds, all));
            releasedThrough = seq;
        }
        for (int w = 0; w < waves.size(); w++) {
            CountDownLatch waveDone = new CountDownLatch(waves.get(w).size());
            for (Ticket t : waves.get(w)) {
                t.done = () -> {
                    waveDone.countDown();
                    all.countDown();
                    if (all.getCount() == 0) {
                        finished(seq);
                    }
                };
                t.durable.complete(seq);
            }
            if (w < waves.size() - 1) {
                awaitQuietly(waveDone);
            }
        }
    }

    /** Record {@code seq} is fully applied: {@link #appliedThrough} moves to the end of the applied prefix. */
    private void finished(long seq) {
        synchronized (applying) {
            if (applying.remove(seq) == null) {
                return;
            }
            appliedThrough = applying.isEmpty() ? releasedThrough : applying.firstKey() - 1;
        }
    }

    private static boolean shares(Set<String> a, Set<String> b) {
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        for (String id : small) {
            if (large.contains(id)) {
                return true;
            }
        }
        return false;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
