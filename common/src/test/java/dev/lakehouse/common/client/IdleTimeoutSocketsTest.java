package dev.lakehouse.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The idle timeouts that {@link IdleTimeoutSockets} keeps in place of OkHttp's per-segment watchdog. */
class IdleTimeoutSocketsTest {
    static final Duration IDLE = Duration.ofMillis(500);

    /** A socket from the factory (its no-argument {@code createSocket}, as OkHttp uses it), connected to {@code server}. */
    static Socket connectedTo(ServerSocket server) throws java.io.IOException {
        Socket s = new IdleTimeoutSockets(IDLE).createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 1000);
        return s;
    }

    @Test
    void readTimesOutAfterTheIdleTimeoutWhenOkHttpAsksForNone() throws Exception {
        try (ServerSocket server = new ServerSocket(0);
                Socket s = connectedTo(server);
                Socket silent = server.accept()) {
            s.setSoTimeout(0); // what OkHttp does with readTimeout(0)
            assertEquals(500, s.getSoTimeout());
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class, in::read);
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
            s.setSoTimeout(1); // OkHttp's health probe: an explicit timeout is kept as asked
            assertEquals(1, s.getSoTimeout());
        }
    }

    @Test
    void writeBlockedByAPeerThatStopsReadingTimesOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0);
                Socket s = connectedTo(server);
                Socket neverReads = server.accept()) {
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[1 << 20];
            long t0 = System.nanoTime();
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> {
                // loopback socket buffers take a few MiB; then the write blocks until the sweeper closes it
                for (int i = 0; i < 4096; i++) {
                    out.write(chunk);
                }
            });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 10_000, "timed out after " + ms + " ms");
            assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
            assertTrue(s.isClosed());
        }
    }

    @Test
    void bytesPassThroughTheBuffersAndClosedSocketsAreForgotten() throws Exception {
        int before = IdleTimeoutSockets.openCount();
        try (ServerSocket server = new ServerSocket(0)) {
            Socket s = new IdleTimeoutSockets(IDLE).createSocket("127.0.0.1", server.getLocalPort());
            try (Socket peer = server.accept()) {
                assertEquals(before + 1, IdleTimeoutSockets.openCount());
                byte[] sent = new byte[300_000];
                new java.util.SplittableRandom(3).nextBytes(sent);
                s.getOutputStream().write(sent, 0, 10);
                s.getOutputStream().write(sent, 10, sent.length - 10);
                s.getOutputStream().flush(); // buffered until flushed, as OkHttp's sink expects
                byte[] got = peer.getInputStream().readNBytes(sent.length);
                assertTrue(java.util.Arrays.equals(sent, got));
                peer.getOutputStream().write(sent);
                peer.shutdownOutput();
                assertTrue(java.util.Arrays.equals(sent, s.getInputStream().readAllBytes()));
            } finally {
                s.close();
            }
        }
        assertEquals(before, IdleTimeoutSockets.openCount());
    }
}
