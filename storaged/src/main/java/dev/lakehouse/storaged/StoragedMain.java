package dev.lakehouse.storaged;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;

/** Wires config → the storaged server. Routes arrive with the storaged issue; until then it serves /health only. */
public final class StoragedMain {
    private StoragedMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        return ServiceApp.builder(Service.STORAGED, config).start();
    }
}
