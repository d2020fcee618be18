package dev.lakehouse.embedd;

import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.common.error.ServiceUnavailable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fixed pool of embedding workers (one per core by default) with a bounded queue. Many concurrent
 * requests share the cores instead of each spawning work; when the queue is full a request is refused at
 * once with 503 + Retry-After rather than queued without bound. A large batch is cut into chunks that run
 * on several workers, so one big request uses every core.
 */
public final class WorkerPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final int workers;
    private final Duration timeout;

    public WorkerPool(int workers, int queue, Duration timeout) {
        if (workers < 1 || queue < 0) {
            throw new IllegalArgumentException("embedd.workers must be >= 1 and embedd.queue >= 0");
        }
        this.workers = workers;
        this.timeout = timeout;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                queue == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "embed-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    public int workers() {
        return workers;
    }

    /** Tasks waiting for a worker right now. */
    public int queued() {
        return executor.getQueue().size();
    }

    /** Tasks running right now. */
    public int active() {
        return executor.getActiveCount();
    }

    /**
     * Runs {@code work} over {@code items}, split into at most {@code workers} chunks of at least
     * {@code minChunk} items when {@code split}, else as one task; results come back in input order.
     */
    public <T, R> List<R> run(List<T> items, boolean split, int minChunk, Function<List<T>, List<R>> work) {
        int chunks = split ? Math.max(1, Math.min(workers, items.size() / Math.max(1, minChunk))) : 1;
        int size = (items.size() + chunks - 1) / chunks;
        List<Future<List<R>>> futures = new ArrayList<>(chunks);
        try {
            for (int from = 0; from < items.size(); from += size) {
                List<T> chunk = items.subList(from, Math.min(items.size(), from + size));
                futures.add(executor.submit(() -> work.apply(chunk)));
            }
        } catch (RejectedExecutionException e) {
            futures.forEach(f -> f.cancel(false));
            throw new ServiceUnavailable("embedd is busy: " + workers + " workers and a full queue of "
                    + executor.getQueue().size() + "; retry shortly", 1);
        }
        List<R> out = new ArrayList<>(items.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Future<List<R>> f : futures) {
                out.addAll(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
        } catch (TimeoutException e) {
            futures.forEach(f -> f.cancel(true));
            throw new GatewayTimeout("embedding took longer than " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new ServiceUnavailable("embedd is shutting down", 1);
        } catch (CancellationException e) {
            throw new ServiceUnavailable("embedding cancelled", 1);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
