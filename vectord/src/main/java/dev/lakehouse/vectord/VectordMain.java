package dev.lakehouse.vectord;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;

/** Wires config → the vectord server. Routes arrive with the vectord issue; until then it serves /health only. */
public final class VectordMain {
    private VectordMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        return ServiceApp.builder(Service.VECTORD, config).start();
    }
}
