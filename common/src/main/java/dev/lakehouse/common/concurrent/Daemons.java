package dev.lakehouse.common.concurrent;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/** Background timers of the services' janitors: one daemon thread each, so none keeps a stopping JVM alive. */
public final class Daemons {
    private Daemons() {}

    public static ScheduledExecutorService scheduler(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(threads(threadName));
    }

    /** Daemon threads named {@code threadName}, for a service's background executors. */
    public static ThreadFactory threads(String threadName) {
        return r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        };
    }
}
