package dev.lakehouse.common.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;

/**
 * Bounds the connections a listener keeps open, per client address and in total: a connection over either
 * bound is closed as soon as it is accepted, before a byte is read, so no client address can hold more than
 * its share of the server's connections (and of the threads their requests would take). Counted by Jetty's
 * connection events on the connector.
 */
public final class ConnectionLimits implements Connection.Listener {
    private final int perAddress;
    private final int total;
    private final Map<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    public ConnectionLimits(int perAddress, int total) {
        if (perAddress < 1 || total < 1) {
            throw new IllegalArgumentException("connection limits must be >= 1, got " + perAddress + " per address, " + total + " in total");
        }
        this.perAddress = perAddress;
        this.total = total;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = addressOf(connection);
        int fromAddress = byAddress.merge(address, 1, Integer::sum);
        int all = open.incrementAndGet();
        if (fromAddress > perAddress || all > total) {
            refused.incrementAndGet();
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.decrementAndGet();
        InetAddress address = addressOf(connection);
        byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1); // atomic per address; no zero entries
    }

    private static InetAddress addressOf(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }

    /** For /health. */
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("open", open.get());
        m.put("refused", refused.get());
        m.put("max", total);
        m.put("max_per_address", perAddress);
        return m;
    }
}
