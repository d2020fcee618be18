package dev.lakehouse.devs3;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Secrets;
import dev.lakehouse.common.config.SecretsFile;
import dev.lakehouse.common.config.Service;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the embedded S3 server as a process ({@code just up} starts it): 127.0.0.1:9000, data under
 * {@code <data_dir>/s3}, bucket {@code lakehouse-primary}, fixed dev credentials. With
 * {@code --write-secrets PATH} it also writes a secrets file (0600) pointing at itself, with a fleet-internal
 * credential (generated once, kept when the file already has one).
 */
public final class DevS3Main {
    private static final Logger log = LoggerFactory.getLogger(DevS3Main.class);

    public static void main(String[] args) throws Exception {
        Config config = Config.load(args);
        Path dir = config.dataDir().resolve("s3");
        String bucket = config.string("s3.bucket", EmbeddedS3.DEV_BUCKET);
        EmbeddedS3 s3 = EmbeddedS3.start(config.bindHost(), config.port(Service.S3), dir, bucket);
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--write-secrets")) {
                Path out = Path.of(args[i + 1]);
                // a restarted devs3 keeps the fleet's credential: the running services still hold it
                FleetCredential fleet = FleetCredential.existing(out).orElseGet(FleetCredential::generate);
                SecretsFile.write(out, Secrets.toToml(s3.settings()) + fleet.toToml());
                log.info("wrote dev secrets (0600) to {}", out);
            }
        }
        log.info("embedded S3 listening on {} (bucket {}, data {})", s3.endpoint(), bucket, dir.toAbsolutePath());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                s3.close();
            } catch (Exception e) {
                log.warn("embedded S3 stop failed", e);
            }
            stop.countDown();
        }, "devs3-shutdown"));
        stop.await();
    }
}
