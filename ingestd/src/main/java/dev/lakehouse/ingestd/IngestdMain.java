package dev.lakehouse.ingestd;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;

/** Wires config → the ingestd server. Routes arrive with the ingestd issue; until then it serves /health only. */
public final class IngestdMain {
    private IngestdMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        return ServiceApp.builder(Service.INGESTD, config).start();
    }
}
