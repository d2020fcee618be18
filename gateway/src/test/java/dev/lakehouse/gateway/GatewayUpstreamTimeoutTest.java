package dev.lakehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.http.ServiceApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's idle timeout towards a backend holds in both directions although OkHttp's own timeouts are
 * off (see {@link dev.lakehouse.common.client.IdleTimeoutSockets}): a backend that says "100 Continue" and then stops reading the body does
 * not pin a gateway thread; the gateway gives up after {@code gateway.upstream_timeout}.
 */
class GatewayUpstreamTimeoutTest {
    static final long STALL_MS = 8000;
    static ServerSocket stuck;
    static Thread acceptor;
    static final CountDownLatch backendSawEof = new CountDownLatch(1);
    static ServiceApp gateway;

    @BeforeAll
    static void start() throws IOException {
        stuck = new ServerSocket(0);
        acceptor = new Thread(() -> {
            try (Socket s = stuck.accept()) {
                InputStream in = s.getInputStream();
                readHeaders(in);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(STALL_MS); // reads none of the body for far longer than the gateway's 1 s timeout
                byte[] buf = new byte[1 << 16];
                while (in.read(buf) != -1) {
                    // drain what the gateway had buffered in the socket; EOF (or a reset) means it gave up
                }
                backendSawEof.countDown();
            } catch (IOException e) {
                backendSawEof.countDown(); // reset by the gateway closing: also "gave up"
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stuck-backend");
        acceptor.setDaemon(true);
        acceptor.start();
        gateway = TestGateways.allBackendsAt(stuck.getLocalPort(), Map.of("gateway.upstream_timeout", "1s"));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        stuck.close();
    }

    private static void readHeaders(InputStream in) throws IOException {
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("eof in headers");
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }

    @Test
    void backendThatStopsReadingABodyIsGivenUpOn() throws Exception {
        long size = 256L << 20; // far more than loopback socket buffers hold
        byte[] chunk = new byte[1 << 20];
        RequestBody body = TestBodies.octets(size, sink -> {
            for (long left = size; left > 0; left -= chunk.length) {
                sink.write(chunk);
            }
        });
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).writeTimeout(Duration.ofSeconds(30)).build();
        long t0 = System.nanoTime();
        Integer status = null;
        try (Response r = http.newCall(new Request.Builder().url(gateway.baseUrl() + "/v1/storage/objects/big")
                .header("Expect", "100-continue").put(body).build()).execute()) {
            status = r.code();
        } catch (IOException e) {
            // the gateway may answer 504 and close while this client is still sending: a cut is fine too
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // without a write timeout the gateway would sit in a blocked write until the backend reads again
        assertTrue(ms < STALL_MS * 3 / 4, "the call took " + ms + " ms");
        if (status != null) {
            assertEquals(504, status);
        }
        assertTrue(backendSawEof.await(20, TimeUnit.SECONDS), "the gateway never closed its stuck upstream connection");
    }
}
