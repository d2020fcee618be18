package dev.lakehouse.common.config;

import java.util.Locale;

/** Every process of the fleet, with its default port. The names are also config-key prefixes. */
public enum Service {
    GATEWAY(3110),
    STORAGED(3211),
    CATALOGD(3212),
    INGESTD(3213),
    QUERYD(3214),
    VECTORD(3215),
    EMBEDD(3216),
    /** The embedded development S3 server (devs3). */
    S3(9000);

    private final int defaultPort;

    Service(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Lower-case id used in config keys, logs and /health ("storaged"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
