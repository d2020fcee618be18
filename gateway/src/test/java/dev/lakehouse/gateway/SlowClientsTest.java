package dev.lakehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.routes.Routes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * 1,000 connections from eight other loopback addresses — idle, trickling headers, or trickling a PUT body —
 * while a client on 127.0.0.1 keeps being answered: no address holds more than its share of connections, and
 * slow bodies are cut (408) instead of holding threads.
 */
class SlowClientsTest {
    static final int ADDRESSES = 8;
    static final int PER_ADDRESS = 125;
    static final int LIMIT = 100;

    @Test
    void theGatewayKeepsServingOthersWith1000SlowOrIdleConnectionsOpen() throws Exception {
        ServiceApp backend = ServiceApp.builder(Service.STORAGED, TestGateways.config(Map.of("http.shutdown_hook", "false")))
                .port(0).maxThreads(1024)
                .routes(r -> {
                    r.get("/objects/<key>", ctx -> ctx.result("ok"));
                    r.put("/objects/<key>", ctx -> ctx.result(Integer.toString(ctx.req().getInputStream().readAllBytes().length)));
                })
                .start();
        Map<String, String> cfg = new HashMap<>(Map.of("http.shutdown_hook", "false", "gateway.port", "0",
                "gateway.max_connections_per_address", Integer.toString(LIMIT), "http.min_body_rate_window", "1s"));
        Routes.backends().forEach(s -> cfg.put(s.id() + ".url", backend.baseUrl()));
        ServiceApp gw = GatewayMain.start(TestGateways.config(cfg));
        List<Socket> attackers = new ArrayList<>();
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
        try {
            for (int a = 0; a < ADDRESSES; a++) {
                InetAddress from = InetAddress.getByName("127.0.0." + (2 + a));
                for (int i = 0; i < PER_ADDRESS; i++) {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(from, 0));
                    s.connect(new InetSocketAddress("127.0.0.1", gw.port()));
                    s.setSoTimeout(100);
                    attackers.add(s);
                    OutputStream out = s.getOutputStream();
                    switch (i % 3) {
                        case 0 -> { } // idle: connected, says nothing
                        case 1 -> out.write("GET /v1/storage/objects/k HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
                        default -> out.write(("PUT /v1/storage/objects/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
            }
            // the slow ones keep trickling a byte every 100 ms while the client on 127.0.0.1 is served
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                while (System.nanoTime() < end) {
                    for (int i = 0; i < attackers.size(); i++) {
                        if (i % 3 != 0) {
                            try {
                                attackers.get(i).getOutputStream().write('x');
                            } catch (IOException closedByTheGateway) {
                                // refused or cut: that is the point
                            }
                        }
                    }
                    sleep(100);
                }
            });
            for (int i = 0; i < 20; i++) {
                try (Response r = client.newCall(new Request.Builder().url(gw.baseUrl() + "/v1/storage/objects/k").build()).execute()) {
                    assertEquals(200, r.code());
                    assertEquals("ok", r.body().string());
                }
                sleep(100);
            }
            trickle.get(30, TimeUnit.SECONDS);
            try (Response r = client.newCall(new Request.Builder().url(gw.baseUrl() + "/health").build()).execute()) {
                JsonNode connections = Json.MAPPER.readTree(r.body().string()).get("connections");
                assertEquals(ADDRESSES * (PER_ADDRESS - LIMIT), connections.get("refused").asLong(),
                        "each address got " + LIMIT + " connections, no more: " + connections);
            }
            int cut = 0;
            for (int i = 2; i < attackers.size(); i += 3) {
                String answer = answerOf(attackers.get(i));
                if (answer.startsWith("HTTP/1.1 408")) {
                    cut++;
                    break; // one is the proof; reading every socket's answer would take long
                }
            }
            assertTrue(cut > 0, "slow bodies that got in were cut with 408");
        } finally {
            for (Socket s : attackers) {
                s.close();
            }
            gw.close();
            backend.close();
        }
    }

    static String answerOf(Socket s) {
        try {
            s.setSoTimeout(2000);
            byte[] buf = new byte[256];
            int n = s.getInputStream().read(buf);
            return n > 0 ? new String(buf, 0, n, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
