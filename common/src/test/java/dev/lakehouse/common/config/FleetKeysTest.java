package dev.lakehouse.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetKeysTest {
    @Test
    void everyFleetWideKeyHasTheRowItsDeclarationRendersInConfigurationMd() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        assertEquals(List.of(), Key.missingRows(FleetKeys.ALL, doc), "docs/configuration.md should have these rows");
    }

    @Test
    void aFleetWideKeyThatOnlySomeServicesReadIsRefusedByNone() {
        // storaged, catalogd and ingestd read idempotency.window; the scripts read run_dir
        Config c = Config.of(Map.of("idempotency.window", "12h", "run_dir", "/tmp/run", "rebuild", "1"));
        for (Service s : List.of(Service.VECTORD, Service.QUERYD, Service.GATEWAY, Service.EMBEDD)) {
            c.requireAllKeysRead(s);
        }
    }

    @Test
    void aDeclaredKeyReadsItsDefaultOrItsValueAndCountsAsRead() {
        Key<Duration> k = Key.duration("storaged.some_wait", Duration.ofMinutes(10), "a wait");
        assertEquals(Duration.ofMinutes(10), Config.of(Map.of()).get(k));
        Config set = Config.of(Map.of("storaged.some_wait", "90s"));
        assertEquals(Duration.ofSeconds(90), set.get(k));
        set.requireAllKeysRead(Service.STORAGED);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Config.of(Map.of("storaged.some_wait", "soon")).get(k));
        assertTrue(bad.getMessage().contains("LAKEHOUSE_STORAGED_SOME_WAIT"), bad.getMessage());
    }

    @Test
    void aKeyRendersItsDocRowWithTheDefaultAsTheDocsShowIt() {
        assertEquals("| `storaged.part_size_bytes` | 8388608 (8 MiB) | part size |",
                Key.bytes("storaged.part_size_bytes", 8L << 20, "part size").docRow());
        assertEquals("| `x.wait` | `1500ms` | w |", Key.duration("x.wait", Duration.ofMillis(1500), "w").docRow());
        assertEquals("| `token` | unset | t |", Key.string("token", null, "t").docRow());
        assertThrows(IllegalArgumentException.class, () -> Key.integer("Bad Name", 1, "x"));
    }
}
