package dev.lakehouse.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsThenFileThenEnvironment() throws Exception {
        Path toml = dir.resolve("lakehouse.toml");
        Files.writeString(toml, """
                bind = "0.0.0.0"
                data_dir = "/srv/lake"
                [storaged]
                port = 4000
                max_concurrent_puts = 8
                [queryd]
                port = 4100
                """);
        Config c = Config.load(new String[] {"--config", toml.toString()},
                Map.of("LAKEHOUSE_QUERYD_PORT", "4200", "LAKEHOUSE_STORAGED_MAX_CONCURRENT_PUTS", " 6 "));
        assertEquals("0.0.0.0", c.bindHost());                 // file beats default
        assertEquals(4000, c.port(Service.STORAGED));          // file
        assertEquals(4200, c.port(Service.QUERYD));            // env beats file
        assertEquals(6, c.integer("storaged.max_concurrent_puts", 4));
        assertEquals(3212, c.port(Service.CATALOGD));          // default
        assertEquals(Path.of("/srv/lake"), c.dataDir());
        assertEquals("http://127.0.0.1:4000", c.url(Service.STORAGED));
    }

    @Test
    void configPathFromEnvironmentAndPortOffset() throws Exception {
        Path toml = dir.resolve("c.toml");
        Files.writeString(toml, "port_offset = 100\n");
        Config c = Config.load(new String[0], Map.of("LAKEHOUSE_CONFIG", toml.toString()));
        assertEquals(3210, c.port(Service.GATEWAY));
        assertEquals(9100, c.port(Service.S3));
        assertEquals("http://127.0.0.1:3311", c.url(Service.STORAGED));
    }

    @Test
    void badValuesNameTheKeyAndEnvVar() {
        Config c = Config.load(new String[0], Map.of("LAKEHOUSE_STORAGED_PORT", "eighty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.port(Service.STORAGED));
        assertTrue(e.getMessage().contains("storaged.port") && e.getMessage().contains("LAKEHOUSE_STORAGED_PORT"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Config.load(new String[] {"--config", dir.resolve("missing.toml").toString()}, Map.of()));
    }

    @Test
    void durationsAndBooleans() {
        Config c = Config.of(Map.of("a", "500ms", "b", "30s", "c", "PT2M", "d", "yes", "e", "off"));
        assertEquals(Duration.ofMillis(500), c.duration("a", Duration.ZERO));
        assertEquals(Duration.ofSeconds(30), c.duration("b", Duration.ZERO));
        assertEquals(Duration.ofMinutes(2), c.duration("c", Duration.ZERO));
        assertTrue(c.bool("d", false));
        assertEquals(false, c.bool("e", true));
        assertEquals(Duration.ofSeconds(9), c.duration("missing", Duration.ofSeconds(9)));
    }

    @Test
    void secretsFileIsReadAndSecretNeverPrinted() throws Exception {
        Path f = dir.resolve("secrets.toml");
        S3Settings s = new S3Settings("http://127.0.0.1:9000", "us-east-1", "b", "ak", "topsecret");
        SecretsFile.write(f, Secrets.toToml(s));
        assertEquals(s, Secrets.primaryS3(f));
        assertTrue(!s.toString().contains("topsecret"));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> Secrets.primaryS3(dir.resolve("nope.toml")));
        assertTrue(missing.getMessage().contains("secrets file not found"));
        Files.writeString(f, "[s3.primary]\nendpoint = \"x\"\n");
        assertThrows(IllegalStateException.class, () -> Secrets.primaryS3(f));
    }

    @Test
    void aMisspelledEnvironmentKeyFailsStartNamingTheNearestKnownKey() {
        Config c = Config.load(new String[0], Map.of("LAKEHOUSE_QUERYD_ROW_LIMT", "5", "LAKEHOUSE_QUERYD_STATEMENT_TIMEOUT", "5s"));
        c.longValue("queryd.row_limit", 10_000);
        c.duration("queryd.statement_timeout", Duration.ofSeconds(30));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.requireAllKeysRead(Service.QUERYD));
        assertTrue(e.getMessage().contains("LAKEHOUSE_QUERYD_ROW_LIMT")
                && e.getMessage().contains("did you mean 'queryd.row_limit'"), e.getMessage());
        assertTrue(!e.getMessage().contains("STATEMENT_TIMEOUT"), e.getMessage());
    }

    @Test
    void aMisspelledFileKeyFailsStartToo() throws Exception {
        Path toml = dir.resolve("lakehouse.toml");
        Files.writeString(toml, "[storaged]\nmax_concurent_puts = 8\n");
        Config c = Config.load(new String[] {"--config", toml.toString()}, Map.of());
        c.integer("storaged.max_concurrent_puts", 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.requireAllKeysRead(Service.STORAGED));
        assertTrue(e.getMessage().contains("'storaged.max_concurent_puts'")
                && e.getMessage().contains("did you mean 'storaged.max_concurrent_puts'"), e.getMessage());
    }

    @Test
    void otherServicesKeysFleetKeysAndScriptKeysAreNotRefused() {
        Config c = Config.load(new String[0], Map.of(
                "LAKEHOUSE_QUERYD_ROW_LIMIT", "5",          // queryd's to check, not storaged's
                "LAKEHOUSE_TOKEN", "t", "LAKEHOUSE_PORT_OFFSET", "1000", "LAKEHOUSE_RUN_DIR", "/tmp/r",
                "LAKEHOUSE_VECTORD_JAVA_OPTS", "-Xmx1g", "LAKEHOUSE_CATALOGD_URL", "http://h:1",
                "PATH", "/usr/bin"));
        c.requireAllKeysRead(Service.STORAGED);
    }

    @Test
    void aNamespaceNoServiceHasIsAMistakeEveryServiceReports() {
        Config c = Config.of(Map.of("query.row_limit", "5"));
        c.longValue("queryd.row_limit", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.requireAllKeysRead(Service.QUERYD));
        assertTrue(e.getMessage().contains("did you mean 'queryd.row_limit'"), e.getMessage());
    }

    @Test
    void readsThroughADerivedConfigCount() {
        Config base = Config.of(Map.of("ingestd.spool_dir", "/tmp/s"));
        base.with(Map.of("ingestd.max_csv_bytes", "10")).string("ingestd.spool_dir", "x");
        base.requireAllKeysRead(Service.INGESTD);
    }
}
