package dev.lakehouse.queryd.admission;

import dev.lakehouse.common.error.ApiException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many queries run at once ({@code slots}), and a bounded first-come-first-served queue for the rest: a
 * dashboard that refreshes 24 panels at once waits a little instead of getting 16 refusals. A query is refused
 * (503 + Retry-After) only when {@code maxQueued} are already waiting, or when it waited {@code maxWait}. The
 * waiting holds the request's thread, which is why the queue is bounded.
 */
public final class Admission {
    private final int slots;
    private final int maxQueued;
    private final Duration maxWait;
    private final Semaphore permits;
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder waited = new LongAdder();
    private final LongAdder refusedFull = new LongAdder();
    private final LongAdder refusedTimeout = new LongAdder();

    public Admission(int slots, int maxQueued, Duration maxWait) {
        this.slots = slots;
        this.maxQueued = maxQueued;
        this.maxWait = maxWait;
        this.permits = new Semaphore(slots, true); // fair: the queue is FIFO
    }

    /** Takes a slot, waiting in the queue if need be; release it with {@link #release}. */
    public void acquire() {
        try {
            if (permits.tryAcquire(0, TimeUnit.NANOSECONDS)) { // timed, so it honours fairness: no barging past the queue
                return;
            }
            if (queued.incrementAndGet() > maxQueued) {
                queued.decrementAndGet();
                refusedFull.increment();
                throw refusal("all " + slots + " query slots are busy and " + maxQueued + " queries are queued",
                        "queue_full");
            }
            waited.increment();
            try {
                if (!permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                    refusedTimeout.increment();
                    throw refusal("no query slot became free within " + maxWait.toMillis() + " ms", "queue_timeout");
                }
            } finally {
                queued.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while queued", Map.of("code", "queue_interrupted"), e);
        }
    }

    public void release() {
        permits.release();
    }

    private static ApiException refusal(String message, String code) {
        return new QueueRefusal(message + "; retry shortly", code);
    }

    /** 503 with Retry-After: 1. */
    private static final class QueueRefusal extends ApiException {
        QueueRefusal(String message, String code) {
            super(503, message, Map.of("code", code), null);
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("Retry-After", "1");
        }
    }

    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", slots - permits.availablePermits());
        m.put("queued", queued.get());
        m.put("slots", slots);
        m.put("max_queued", maxQueued);
        m.put("waited", waited.sum());
        m.put("refused_queue_full", refusedFull.sum());
        m.put("refused_queue_timeout", refusedTimeout.sum());
        return m;
    }
}
