package dev.lakehouse.storaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PUTs whose bodies trickle or stall are cut with 408 and give their PUT slot back. */
class SlowClientsTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3);
    static ServiceApp app;

    @BeforeAll
    static void start() {
        app = FLEET.start(Service.STORAGED, StoragedMain::start, Map.of("storaged.max_concurrent_puts", "2",
                // the test's scale: 64 KiB/s judged over 1 s of waiting for the client, stalls cut after 2 s
                "http.min_body_rate_window", "1s", "http.idle_timeout", "2s"));
    }

    /** Sends a PUT's headers, then {@code trickle} one byte every 300 ms (or nothing), until storaged answers. */
    static CompletableFuture<String> slowPut(String key, boolean trickle) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = new Socket("127.0.0.1", app.port())) {
                s.setSoTimeout(300);
                OutputStream out = s.getOutputStream();
                out.write(("PUT /objects/" + key + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n"
                        + dev.lakehouse.common.auth.FleetCredential.HEADER + ": " + S3.credential().headerValue() + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                for (int i = 0; i < 100; i++) { // 30 s at most
                    if (trickle) {
                        try {
                            out.write('x');
                            out.flush();
                        } catch (IOException cut) {
                            // the server may close right after its answer; read it below
                        }
                    }
                    try {
                        int n = in.read(buf);
                        if (n > 0) {
                            return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                        }
                        if (n < 0) {
                            return "closed without an answer";
                        }
                    } catch (java.net.SocketTimeoutException notYet) {
                        // keep trickling
                    }
                }
                return "no answer in 30 s";
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
    }

    @Test
    void tricklingAndStalledBodiesAre408AndFreeTheirPutSlots() throws Exception {
        List<CompletableFuture<String>> slow = new ArrayList<>();
        slow.add(slowPut("slow/trickle.bin", true));
        slow.add(slowPut("slow/stall.bin", false));
        for (CompletableFuture<String> f : slow) {
            String answer = f.get(40, TimeUnit.SECONDS);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("body_too_slow"), answer);
        }
        // both slots are free again: two normal PUTs at once succeed
        var client = new dev.lakehouse.common.client.StorageClient(app.baseUrl(), S3.credential());
        CompletableFuture<Long> a = CompletableFuture.supplyAsync(() -> client.put("slow/after-a.bin", new byte[100_000]).size());
        CompletableFuture<Long> b = CompletableFuture.supplyAsync(() -> client.put("slow/after-b.bin", new byte[100_000]).size());
        assertEquals(100_000L, a.get(30, TimeUnit.SECONDS));
        assertEquals(100_000L, b.get(30, TimeUnit.SECONDS));
        assertEquals(0, S3.client().listObjectsV2(r -> r.bucket(S3.bucket()).prefix("slow/trickle")).keyCount());
        assertEquals(0, S3.client().listObjectsV2(r -> r.bucket(S3.bucket()).prefix("slow/stall")).keyCount());
    }
}
