package dev.lakehouse.embedd;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;

/** Wires config → the embedd server. Routes arrive with the embedd issue; until then it serves /health only. */
public final class EmbeddMain {
    private EmbeddMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        return ServiceApp.builder(Service.EMBEDD, config).start();
    }
}
