package dev.lakehouse.systest;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/** Latency samples (microseconds) with percentiles; thread-safe appends into a fixed array. */
final class Stats {
    private final long[] samples;
    private final AtomicLong count = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    Stats(int capacity) {
        samples = new long[capacity];
    }

    void record(long micros) {
        long i = count.getAndIncrement();
        if (i < samples.length) {
            samples[(int) i] = micros;
        }
    }

    long count() {
        return count.get();
    }

    double percentileMillis(double p) {
        int n = (int) Math.min(count.get(), samples.length);
        if (n == 0) {
            return 0;
        }
        long[] copy = Arrays.copyOf(samples, n);
        Arrays.sort(copy);
        return copy[Math.min(n - 1, (int) Math.ceil(p / 100.0 * n) - 1)] / 1000.0;
    }
}
