package dev.lakehouse.common.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * Sockets for OkHttp clients that run with OkHttp's own timeouts off ({@link HttpClients#idleTimed}), built so
 * that a call costs few syscalls and no thread handoffs per read or write: the gateway's upstream connections
 * (relaying multi-GiB bodies) and queryd's per-query catalog check.
 *
 * <p>Why (measured, 1 GiB GET relayed on the 2-core machine): OkHttp moves bytes in okio's 8 KiB
 * segments, and with a read/write timeout set it wraps <em>every</em> segment's socket call in an okio
 * {@code AsyncTimeout}, which signals the "Okio Watchdog" thread each time: 131K {@code read}s and 266K
 * {@code futex} calls per GiB, and the gateway burned ~3x storaged's CPU for the same bytes. For a small call
 * it is two watchdog wake-ups per call (queryd's catalog check, measured). So these clients run with OkHttp's
 * timeouts off and these sockets keep the same idle timeout themselves, cheaply:
 * <ul>
 *   <li>reads: the socket's own {@code SO_TIMEOUT} (OkHttp sets it to its read timeout, 0; we keep the
 *       idle timeout instead), so a backend that does not answer still gives a {@link SocketTimeoutException}
 *       (the gateway's client a 504);</li>
 *   <li>writes: one shared sweeper thread looks every {@value #SWEEP_MILLIS} ms for a write blocked longer
 *       than the idle timeout and closes that socket; the write then fails with a
 *       {@link SocketTimeoutException}. A write in progress costs two volatile stores, nothing more;</li>
 *   <li>both directions buffered ({@value #BUFFER} B), so okio's 8 KiB segment calls become one syscall per
 *       up to {@value #BUFFER} B. The buffers are per connection and bounded; nothing grows with the body.</li>
 * </ul>
 */
public final class IdleTimeoutSockets extends SocketFactory {
    static final int BUFFER = 64 * 1024;
    static final long SWEEP_MILLIS = 250;

    private static final Set<IdleTimeoutSocket> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Thread sweeper = new Thread(IdleTimeoutSockets::sweepForever, "socket-write-timeouts");
        sweeper.setDaemon(true);
        sweeper.start();
    }

    private final int idleMillis;

    public IdleTimeoutSockets(Duration idleTimeout) {
        this.idleMillis = Math.toIntExact(Math.max(1, idleTimeout.toMillis()));
    }

    @Override
    public Socket createSocket() {
        return new IdleTimeoutSocket(idleMillis);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /** OkHttp itself only calls {@link #createSocket()} and connects; these overloads are the factory's contract. */
    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        if (local != null) {
            s.bind(local);
        }
        s.connect(remote);
        return s;
    }

    /** Number of upstream sockets open now (tests). */
    static int openCount() {
        return OPEN.size();
    }

    private static void sweepForever() {
        while (true) {
            try {
                TimeUnit.MILLISECONDS.sleep(SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (IdleTimeoutSocket s : OPEN) {
                s.closeIfWriteStuck(now);
            }
        }
    }

    static final class IdleTimeoutSocket extends Socket {
        private static final long NOT_WRITING = Long.MIN_VALUE;
        private final int idleMillis;
        private final long idleNanos;
        private volatile long writingSince = NOT_WRITING;
        private volatile boolean writeTimedOut;
        private InputStream in;
        private OutputStream out;

        IdleTimeoutSocket(int idleMillis) {
            this.idleMillis = idleMillis;
            this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        }

        /** OkHttp sets its own read timeout here (0: none); 0 keeps the idle timeout instead. */
        @Override
        public void setSoTimeout(int timeout) throws java.net.SocketException {
            super.setSoTimeout(timeout == 0 ? idleMillis : timeout);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            super.connect(endpoint, timeout);
            OPEN.add(this);
        }

        @Override
        public synchronized void close() throws IOException {
            OPEN.remove(this);
            super.close();
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(super.getInputStream(), BUFFER);
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new BufferedOutputStream(new WatchedOutput(super.getOutputStream()), BUFFER);
            }
            return out;
        }

        void closeIfWriteStuck(long now) {
            long since = writingSince;
            if (since != NOT_WRITING && now - since > idleNanos) {
                writeTimedOut = true;
                try {
                    close();
                } catch (IOException ignored) {
                    // closing is all we can do; the blocked write fails either way
                }
            }
        }

        /** The raw socket stream with each write (and flush) timed by the sweeper. */
        private final class WatchedOutput extends OutputStream {
            private final OutputStream raw;

            WatchedOutput(OutputStream raw) {
                this.raw = raw;
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writingSince = System.nanoTime();
                try {
                    raw.write(b, off, len);
                } catch (IOException e) {
                    throw writeTimedOut ? timedOut(e) : e;
                } finally {
                    writingSince = NOT_WRITING;
                }
            }

            @Override
            public void flush() throws IOException {
                raw.flush();
            }

            @Override
            public void close() throws IOException {
                raw.close();
            }

            private SocketTimeoutException timedOut(IOException cause) {
                SocketTimeoutException e = new SocketTimeoutException("write blocked longer than " + idleMillis + " ms");
                e.initCause(cause);
                return e;
            }
        }
    }
}
