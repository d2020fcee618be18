package dev.lakehouse.common.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Makes named pipes (FIFOs): a DuckDB that reads or writes a "file" while the service writes or reads its other end
 * (ingestd's streamed conversion, ADR 0047; queryd's export pipes, ADR 0042, could use it too).
 */
public final class NamedPipes {
    private NamedPipes() {}

    /** Java has no mkfifo; the coreutils one costs a process start (~2 ms) per pipe, not per byte. Mode 600. */
    public static void make(Path path) throws IOException {
        Process p = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo " + path + " failed: " + out);
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted making a pipe", e);
        }
    }
}
