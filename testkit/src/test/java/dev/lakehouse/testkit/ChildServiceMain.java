package dev.lakehouse.testkit;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A service for {@link TestFleetChildTest} to run in a JVM of its own: {@code GET /pid} tells which process
 * answers, and its stop hook leaves {@code <data_dir>/stopped}, so a test can tell a graceful stop from kill -9.
 */
public final class ChildServiceMain {
    private ChildServiceMain() {}

    public static void main(String[] args) throws IOException {
        Config config = Config.load(args);
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        String pid = Long.toString(ProcessHandle.current().pid());
        ServiceApp.builder(Service.STORAGED, config)
                .routes(r -> r.get("/pid", ctx -> ctx.result(pid)))
                .onStop(() -> {
                    try {
                        Files.writeString(dataDir.resolve("stopped"), pid);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .start();
    }
}
