package dev.lakehouse.queryd;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;

/** Wires config → the queryd server. Routes arrive with the queryd issue; until then it serves /health only. */
public final class QuerydMain {
    private QuerydMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        return ServiceApp.builder(Service.QUERYD, config).start();
    }
}
