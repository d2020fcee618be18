package dev.lakehouse.common.http;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.FleetKeys;
import dev.lakehouse.common.error.RequestTimeout;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Cuts a request whose body the client sends too slowly: after every {@code window} of time spent <em>waiting
 * for the client</em> inside reads, the bytes that arrived in it must reach {@code minBytesPerSecond}; else the
 * read throws {@link RequestTimeout} (408, code {@code body_too_slow}), which ends the handler and frees what it
 * held (storaged's PUT slot, a gateway thread). Only time blocked in a read counts, so a server that reads
 * slowly itself (storaged waiting for S3) never cuts its client. A client that sends nothing at all is cut by
 * the connection's idle timeout, also answered 408.
 */
final class MinRateBodyGuard implements Filter {
    private final long minBytesPerSecond;
    private final long windowNanos;

    MinRateBodyGuard(long minBytesPerSecond, Duration window) {
        this.minBytesPerSecond = minBytesPerSecond;
        this.windowNanos = window.toNanos();
    }

    /** From {@code http.min_body_rate_bytes} (65536; 0 turns the guard off) and {@code http.min_body_rate_window} (10s). */
    static Optional<MinRateBodyGuard> from(Config config) {
        long rate = config.get(FleetKeys.HTTP_MIN_BODY_RATE_BYTES);
        Duration window = config.get(FleetKeys.HTTP_MIN_BODY_RATE_WINDOW);
        return rate <= 0 ? Optional.empty() : Optional.of(new MinRateBodyGuard(rate, window));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        chain.doFilter(request instanceof HttpServletRequest http ? new Guarded(http) : request, response);
    }

    private final class Guarded extends HttpServletRequestWrapper {
        private ServletInputStream guarded;

        Guarded(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (guarded == null) {
                // asked for only now: Jetty sends "100 Continue" when the handler first wants the body
                guarded = new RateChecked(super.getInputStream());
            }
            return guarded;
        }
    }

    private final class RateChecked extends ServletInputStream {
        private final ServletInputStream in;
        private long waitedNanos;
        private long bytes;
        private long windowWaited;
        private long windowBytes;

        RateChecked(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            long t0 = System.nanoTime();
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                throw timedOutOr(e);
            }
            account(t0, b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            long t0 = System.nanoTime();
            int n;
            try {
                n = in.read(buf, off, len);
            } catch (IOException e) {
                throw timedOutOr(e);
            }
            account(t0, Math.max(n, 0));
            return n;
        }

        private void account(long t0, int n) {
            waitedNanos += System.nanoTime() - t0;
            bytes += n;
            long waited = waitedNanos - windowWaited;
            if (waited < windowNanos) {
                return;
            }
            long got = bytes - windowBytes;
            long needed = (long) ((double) minBytesPerSecond * waited / 1e9);
            if (got < needed) {
                throw new RequestTimeout("request body too slow: " + got + " bytes in " + waited / 1_000_000 + " ms of waiting, "
                        + "below the minimum of " + minBytesPerSecond + " bytes/s",
                        Map.of("code", "body_too_slow", "min_bytes_per_second", minBytesPerSecond));
            }
            windowWaited = waitedNanos;
            windowBytes = bytes;
        }

        /** Jetty's idle timeout failing a read (the client sent nothing for that long) is a 408 too. */
        private IOException timedOutOr(IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TimeoutException) {
                    throw new RequestTimeout("request body stalled: no bytes for the idle timeout",
                            Map.of("code", "body_too_slow", "min_bytes_per_second", minBytesPerSecond));
                }
            }
            return e;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
