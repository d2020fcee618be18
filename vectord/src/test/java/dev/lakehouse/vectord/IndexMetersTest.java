package dev.lakehouse.vectord;

import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** vectord's /metrics has one series per index (items, tombstones, memory, WAL lag, snapshots, search latency), bounded. */
class IndexMetersTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3).with(STORAGED, StoragedMain::start)
            .with(VECTORD, VectordMain::start, Map.of("vectord.metrics_max_indexes", "2"));

    static String scrape() throws IOException {
        try (Response r = Http.SIGNED.newCall(new Request.Builder().url(FLEET.url(VECTORD) + "/metrics").build()).execute()) {
            assertEquals(200, r.code());
            return r.body().string();
        }
    }

    /** The value of {@code name{index="<index>",service="vectord"}} (Micrometer sorts tags by name); NaN when absent. */
    static double value(String text, String name, String index) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{index=\"" + index + "\",service=\"vectord\"}") + " (\\S+)$")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static void create(String name, int items) {
        assertEquals(201, FLEET.call(VECTORD, "POST", "/index", Map.of("name", name, "dim", 4, "distance", "l2")).status());
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            batch.add(Map.of("id", name + i, "vector", new float[] {i, 1, 2, 3}));
        }
        assertEquals(200, FLEET.call(VECTORD, "POST", "/index/" + name + "/add", Map.of("items", batch)).status());
    }

    @Test
    void eachIndexHasItsOwnSeriesUpToTheBoundAndTheRestAreSummedAsOther() throws IOException {
        create("alpha", 10);
        create("beta", 5);
        create("gamma", 3);
        create("delta", 4);
        assertEquals(204, FLEET.call(VECTORD, "DELETE", "/index/alpha/items/alpha0", null).status());
        assertEquals(204, FLEET.call(VECTORD, "DELETE", "/index/alpha/items/alpha1", null).status());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, FLEET.call(VECTORD, "POST", "/index/alpha/search", Map.of("vector", new float[] {1, 1, 2, 3}, "k", 2)).status());
        }
        assertEquals(404, FLEET.call(VECTORD, "POST", "/index/nosuch/search", Map.of("vector", new float[] {1, 1, 2, 3})).status());

        String text = scrape();
        // the first two names in order (alpha, beta) have their own series; delta and gamma are summed
        assertEquals(8, value(text, "vectord_index_items", "alpha"));
        assertEquals(2, value(text, "vectord_index_tombstones", "alpha"));
        assertEquals(5, value(text, "vectord_index_items", "beta"));
        assertEquals(7, value(text, "vectord_index_items", "_other"));
        assertTrue(Double.isNaN(value(text, "vectord_index_items", "gamma")), "no series of its own past the bound");
        assertTrue(value(text, "vectord_index_memory_bytes", "alpha") > 0);
        assertEquals(3, value(text, "vectord_index_search_seconds_count", "alpha"), "successful searches only");
        assertFalse(text.contains("index=\"nosuch\""), "a search of no index makes no series");
        // alpha's add and two deletes are in the WAL and in no snapshot yet
        assertTrue(value(text, "vectord_index_wal_lag_records", "alpha") >= 1, text);
        assertTrue(value(text, "vectord_index_wal_records", "alpha") >= 1);
        double createdSnapshot = value(text, "vectord_index_last_snapshot_bytes", "alpha"); // create writes an empty one

        assertEquals(200, FLEET.call(VECTORD, "POST", "/index/alpha/save", null).status());
        assertEquals(204, FLEET.call(VECTORD, "DELETE", "/index/beta", null).status());
        text = scrape();
        assertEquals(0, value(text, "vectord_index_wal_lag_records", "alpha"), "the snapshot covers the WAL");
        assertTrue(value(text, "vectord_index_last_snapshot_bytes", "alpha") > createdSnapshot, "8 items outweigh none");
        assertTrue(value(text, "vectord_index_last_snapshot_duration_seconds", "alpha") >= 0);
        // beta is gone with its series; delta takes its place among the first two; gamma is the rest
        assertTrue(Double.isNaN(value(text, "vectord_index_items", "beta")), "a deleted index's series go with it");
        assertEquals(4, value(text, "vectord_index_items", "delta"));
        assertEquals(3, value(text, "vectord_index_items", "_other"));
    }
}
