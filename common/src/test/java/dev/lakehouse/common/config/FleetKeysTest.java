package dev.lakehouse.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetKeysTest {
    @Test
    void everyFleetWideKeyHasTheRowItsDeclarationRendersInConfigurationMdAndTheExampleTomlSetsOnlyItsDefaults()
            throws IOException {
        assertEquals(List.of(), Key.docsAndExampleProblems(FleetKeys.ALL, null, Path.of(".."), "configuration.md"));
    }

    @Test
    void theExampleTomlCheckNamesAnUndeclaredKeyAndAValueThatIsNotTheDefault() {
        List<Key<?>> keys = List.of(Key.integer("queryd.row_limit", 10_000, "page"),
                Key.integer("queryd.duckdb_threads", 0, "t").computed("all cores"));
        assertEquals(List.of("queryd.row_limit = 500 is not its default 10000", "queryd.row_limt is declared nowhere"),
                Key.exampleTomlProblems(keys, "queryd", Map.of("queryd.row_limit", "500", "queryd.row_limt", "1",
                        "queryd.port", "3214", "queryd.duckdb_threads", "4", "storaged.x", "1")));
        assertEquals(List.of("bnd is declared nowhere"), Key.exampleTomlProblems(FleetKeys.ALL, null,
                Map.of("bind", "127.0.0.1", "bnd", "x", "queryd.row_limit", "1")));
    }

    @Test
    void aKeyWithADefaultComputedAtStartIsReadOnlyWithThatDefault() {
        Key<Integer> workers = Key.integer("embedd.workers", 0, "w").computed("#cores");
        assertEquals("| `embedd.workers` | #cores | w |", workers.docRow());
        assertThrows(IllegalStateException.class, () -> Config.of(Map.of()).get(workers));
        assertEquals(7, Config.of(Map.of()).get(workers, 7));
        assertEquals(3, Config.of(Map.of("embedd.workers", "3")).get(workers, 7));
        assertEquals(java.util.Optional.empty(), Config.of(Map.of()).find(workers));
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
