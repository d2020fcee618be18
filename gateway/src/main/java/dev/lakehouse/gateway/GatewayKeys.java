package dev.lakehouse.gateway;

import dev.lakehouse.common.config.Key;
import java.time.Duration;
import java.util.List;

/** The gateway's config keys, declared once; docs/configuration.md has one row per key (checked by GatewayKeysTest). */
public final class GatewayKeys {
    private GatewayKeys() {}

    public static final Key<Integer> MAX_CONNECTIONS_PER_ADDRESS = Key.integer("gateway.max_connections_per_address", 512,
            "open connections one client address may hold at the gateway; more are closed as soon as accepted");
    public static final Key<Integer> MAX_CONNECTIONS = Key.integer("gateway.max_connections", 4096,
            "open connections at the gateway in total");
    public static final Key<Integer> MAX_THREADS = Key.integer("gateway.max_threads", 1024,
            "the gateway's request threads (each request whose body is being relayed holds one)");
    public static final Key<Duration> UPSTREAM_TIMEOUT = Key.duration("gateway.upstream_timeout", Duration.ofSeconds(300),
            "idle timeout towards a backend, reading and writing → 504 (kept by the gateway's upstream sockets, not"
            + " OkHttp: see docs/adr/0010)");
    public static final Key<Duration> HEALTH_TIMEOUT = Key.duration("gateway.health_timeout", Duration.ofSeconds(2),
            "per-backend probe in `/v1/health`");

    public static final List<Key<?>> ALL = List.of(MAX_CONNECTIONS_PER_ADDRESS, MAX_CONNECTIONS, MAX_THREADS,
            UPSTREAM_TIMEOUT, HEALTH_TIMEOUT);
}
