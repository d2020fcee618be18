package dev.lakehouse.embedd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points DJL (the HuggingFace tokenizer's native library loader) at a folder under the data dir and
 * forbids it to download. DJL reads {@code DJL_CACHE_DIR} and {@code DJL_OFFLINE} from the environment
 * first, then from system properties ({@code ai.djl.util.Utils.getEnvOrSystemProperty}); without either it
 * writes to {@code ~/.djl.ai}. The tokenizer jar carries {@code libtokenizers.so}; DJL copies it from the
 * classpath into {@code <cache>/tokenizers/<version>-cpu-<platform>/} and, offline, never fetches one.
 * JNA's scratch dir ({@code jna.tmpdir}) goes next to it, so nothing is written under {@code $HOME}.
 */
public final class DjlCache {
    public static final String CACHE_DIR = "DJL_CACHE_DIR";
    public static final String OFFLINE = "ai.djl.offline";

    private DjlCache() {}

    /** Sets the cache dir (unless the operator set {@code DJL_CACHE_DIR} in the environment) and offline mode. Returns the dir in effect. */
    public static Path configure(Path dataDir) {
        String fromEnv = System.getenv(CACHE_DIR);
        Path dir = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : dataDir.resolve("embedd").resolve("djl");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create DJL cache dir " + dir.toAbsolutePath(), e);
        }
        System.setProperty(CACHE_DIR, dir.toAbsolutePath().toString());
        // DJL loads through JNA, which otherwise unpacks its stub into ~/.cache/JNA (seen with HOME isolated)
        if (System.getProperty("jna.tmpdir") == null) {
            Path jna = dir.resolveSibling("jna");
            try {
                Files.createDirectories(jna);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create JNA temp dir " + jna.toAbsolutePath(), e);
            }
            System.setProperty("jna.tmpdir", jna.toAbsolutePath().toString());
        }
        if (System.getenv("DJL_OFFLINE") == null) {
            System.setProperty(OFFLINE, "true");
        }
        // the tokenizer library is CPU-only; DJL's platform probe still asks CUDA and warns when a CUDA
        // toolkit is installed without a GPU driver. Nothing to act on, so keep it out of the log.
        if (org.slf4j.LoggerFactory.getLogger("ai.djl.util.cuda") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        return dir;
    }
}
