package dev.lakehouse.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.auth.FleetCredential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsFileTest {
    @TempDir
    Path dir;

    @Test
    void aSecretsFileIsWrittenReadableByItsOwnerOnly() throws Exception {
        Path f = dir.resolve("secrets.toml");
        SecretsFile.write(f, FleetCredential.generate().toToml());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void aGroupOrWorldReadableSecretsFileIsRefusedWithTheFixInTheMessage() throws Exception {
        Path f = dir.resolve("secrets.toml");
        FleetCredential c = FleetCredential.generate();
        SecretsFile.write(f, c.toToml());
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--"}) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FleetCredential.load(f), mode);
            assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        }
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertTrue(FleetCredential.load(f).accepts(c.headerValue()));
    }

    @Test
    void devToolingKeepsTheTokenOfAnOlderWorldReadableDevFileAndRewritesItOwnerOnly() throws Exception {
        Path f = dir.resolve("old-dev.toml");
        FleetCredential c = FleetCredential.generate();
        Files.writeString(f, c.toToml());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        FleetCredential kept = FleetCredential.existing(f).orElseThrow();
        assertTrue(kept.accepts(c.headerValue()));
        kept.writeSecretsFile(f);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertTrue(FleetCredential.load(f).accepts(c.headerValue()));
    }

    @Test
    void theFleetCredentialAcceptsOnlyItsOwnTokenAndNeverPrintsIt() {
        FleetCredential c = FleetCredential.generate();
        assertTrue(c.accepts(c.headerValue()));
        assertFalse(c.accepts(null));
        assertFalse(c.accepts(c.headerValue() + "x"));
        assertFalse(c.accepts(FleetCredential.generate().headerValue()));
        assertFalse(c.toString().contains(c.headerValue()));
    }

    @Test
    void aShortOrMissingFleetTokenIsRefusedAtStart() {
        Path f = dir.resolve("short.toml");
        SecretsFile.write(f, "[fleet]\ninternal_token = \"short\"\n");
        assertThrows(IllegalStateException.class, () -> FleetCredential.load(f));
        SecretsFile.write(f, "[s3.primary]\nbucket = \"b\"\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FleetCredential.load(f));
        assertTrue(e.getMessage().contains("fleet.internal_token"), e.getMessage());
    }
}
