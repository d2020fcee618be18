package dev.lakehouse.catalogd;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;

/** Wires config → the catalogd server. Routes arrive with the catalogd issue; until then it serves /health only. */
public final class CatalogdMain {
    private CatalogdMain() {}

    public static void main(String[] args) {
        start(Config.load(args));
    }

    public static ServiceApp start(Config config) {
        return ServiceApp.builder(Service.CATALOGD, config).start();
    }
}
