package dev.lakehouse.gateway;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.routes.Routes;
import java.util.HashMap;
import java.util.Map;

/** Gateways for tests that play a backend themselves on a raw socket. */
final class TestGateways {
    private TestGateways() {}

    /** A gateway on a free port with every backend at {@code 127.0.0.1:port}, plus {@code extra} config. */
    static ServiceApp allBackendsAt(int port, Map<String, String> extra) {
        Map<String, String> cfg = new HashMap<>(extra);
        cfg.put("http.shutdown_hook", "false");
        cfg.put("gateway.port", "0");
        for (var s : Routes.backends()) {
            cfg.put(s.id() + ".url", "http://127.0.0.1:" + port);
        }
        return GatewayMain.start(Config.of(cfg));
    }
}
