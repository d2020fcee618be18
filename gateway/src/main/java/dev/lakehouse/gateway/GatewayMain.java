package dev.lakehouse.gateway;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.http.ServiceApp;

/** Wires config → the gateway server. */
public final class GatewayMain {
    private GatewayMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        return GatewayRoutes.install(config);
    }
}
