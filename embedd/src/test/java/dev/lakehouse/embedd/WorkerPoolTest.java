package dev.lakehouse.embedd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.error.BadGateway;
import dev.lakehouse.common.error.GatewayTimeout;
import dev.lakehouse.common.error.ServiceUnavailable;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void splitsABatchAcrossWorkersAndKeepsOrder() {
        try (WorkerPool pool = new WorkerPool(3, 10, Duration.ofSeconds(10))) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            List<Integer> in = IntStream.range(0, 100).boxed().toList();
            List<Integer> out = pool.run(in, true, 4, chunk -> {
                threads.add(Thread.currentThread().getName());
                sleep(50);
                return chunk.stream().map(i -> i * 2).toList();
            });
            assertEquals(in.stream().map(i -> i * 2).toList(), out);
            assertEquals(3, threads.size(), "one chunk per worker: " + threads);
        }
    }

    @Test
    void smallBatchesAndUnsplittableWorkStayInOneTask() {
        try (WorkerPool pool = new WorkerPool(4, 10, Duration.ofSeconds(10))) {
            Set<Integer> sizes = ConcurrentHashMap.newKeySet();
            pool.run(List.of(1, 2, 3), true, 4, c -> {
                sizes.add(c.size());
                return c;
            });
            pool.run(IntStream.range(0, 50).boxed().toList(), false, 4, c -> {
                sizes.add(c.size());
                return c;
            });
            assertEquals(Set.of(3, 50), sizes);
        }
    }

    @Test
    void fullQueueIsRefusedAtOnceWith503() throws Exception {
        try (WorkerPool pool = new WorkerPool(1, 1, Duration.ofSeconds(10))) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            ExecutorService callers = Executors.newFixedThreadPool(2);
            Future<List<Integer>> first = callers.submit(() -> pool.run(List.of(1), false, 1, c -> {
                running.countDown();
                await(release);
                return c;
            }));
            assertTrue(running.await(5, TimeUnit.SECONDS));
            Future<List<Integer>> queued = callers.submit(() -> pool.run(List.of(2), false, 1, c -> c));
            while (pool.queued() < 1) {
                Thread.sleep(5);
            }
            long t0 = System.nanoTime();
            ServiceUnavailable e = assertThrows(ServiceUnavailable.class, () -> pool.run(List.of(3), false, 1, c -> c));
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "refused at once, not after waiting");
            assertEquals(1, e.retryAfterSeconds());
            assertEquals("1", e.headers().get("Retry-After"));
            release.countDown();
            assertEquals(List.of(1), first.get(5, TimeUnit.SECONDS));
            assertEquals(List.of(2), queued.get(5, TimeUnit.SECONDS));
            callers.shutdown();
        }
    }

    @Test
    void slowWorkIs504AndErrorsPropagateTyped() {
        try (WorkerPool pool = new WorkerPool(1, 4, Duration.ofMillis(200))) {
            assertThrows(GatewayTimeout.class, () -> pool.run(List.of(1), false, 1, c -> {
                sleep(2000);
                return c;
            }));
            assertThrows(BadGateway.class, () -> pool.run(List.of(1), false, 1, c -> {
                throw new BadGateway("upstream gone");
            }));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
