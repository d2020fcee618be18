package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.STORAGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.common.client.StorageClient;
import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.store.Durability;
import dev.lakehouse.vectord.store.IndexRegistry;
import dev.lakehouse.vectord.store.IndexStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A compaction's second graph counts against the memory budget while it is built (issue 16). */
class CompactionMemoryTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start);
    static StorageClient storage;
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("vectord-compaction-memory");
        storage = FLEET.storage();
    }

    static List<VectorItem> items(int n) {
        List<VectorItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(new VectorItem("i" + i, new float[] {i, 1, 2, 3}, null));
        }
        return items;
    }

    @Test
    void whileACompactionBuildsItsGraphAnAddThatFitsBesideOneGraphButNotBesideTwoIsRefused() throws Exception {
        IndexSpec spec = new IndexSpec("cm", 4, Distance.L2, 8, 40, 20);
        VectorItem extra = new VectorItem("extra", new float[] {-1, 1, 2, 3}, null);
        // the budget: room for the index plus one item, and half of a second graph
        VectorIndex probe = VectorIndex.create(spec);
        probe.addAll(items(300));
        long used = probe.memoryBytes();
        long second = probe.graphBytes(300);
        long budget = used + probe.bytesFor(extra) + second / 2;
        Durability d = new Durability(true, Duration.ZERO, 64L << 20, Long.MAX_VALUE, Duration.ofDays(1),
                Duration.ofSeconds(1), budget, 0.2, 1_000_000, Duration.ofHours(1), 1000);
        IndexRegistry r = new IndexRegistry(new IndexStore(storage, tmp), storage, d);
        try {
            r.create(spec);
            r.add("cm", items(300));
            assertEquals(used, r.memoryUsed());

            Thread compactor = new Thread(() -> r.compact("cm"), "test-compactor");
            // holding the graph frozen stops the compaction at its first step, its second graph accounted
            try (VectorIndex.Frozen f = r.live("cm").freeze()) {
                compactor.start();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (r.memoryUsed() == used) {
                    assertTrue(System.nanoTime() < deadline, "the compaction never accounted its second graph");
                    Thread.sleep(5);
                }
                assertEquals(used + second, r.memoryUsed());
                ApiException refused = assertThrows(ApiException.class, () -> r.add("cm", List.of(extra)));
                assertEquals(507, refused.status());
                assertEquals("memory_budget_exceeded", refused.details().get("code"));
            }
            compactor.join();
            assertEquals(used, r.memoryUsed(), "after the swap only one graph is left");
            r.add("cm", List.of(extra));
            assertEquals(301, r.live("cm").size());
        } finally {
            r.close();
        }
    }
}
