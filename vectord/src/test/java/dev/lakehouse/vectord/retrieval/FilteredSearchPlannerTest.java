package dev.lakehouse.vectord.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.vectord.TestVectors;
import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.filter.Filter;
import dev.lakehouse.vectord.filter.FilterParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The planner on a real HNSW index: the true top-k among matching items at every selectivity. */
class FilteredSearchPlannerTest {
    static final int N = 6000;
    static final FilteredSearch PLANNER = new FilteredSearch();
    static VectorIndex index;
    static float[][] data;

    @BeforeAll
    static void build() {
        data = TestVectors.clustered(N, 32, 20, 5);
        index = VectorIndex.create(new IndexSpec("f", 32, Distance.COSINE, 16, 100, 64), N);
        List<VectorItem> items = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            // tag0 on 0.2 % of the items, tag1 on 1 %, tag2 on 10 %, tag3 on 50 %
            String meta = "{\"n\":" + i + ",\"tags\":[" + (i % 500 == 0 ? "\"t0\"," : "") + (i % 100 == 0 ? "\"t1\"," : "")
                    + (i % 10 == 0 ? "\"t2\"," : "") + (i % 2 == 0 ? "\"t3\"" : "\"odd\"") + "]}";
            items.add(new VectorItem("i" + i, data[i].clone(), meta));
        }
        index.addAll(items);
    }

    static Filter filter(String json) {
        return FilterParser.parse(json(json));
    }

    static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Set<String> ids(List<VectorIndex.Hit> hits) {
        Set<String> s = new HashSet<>();
        hits.forEach(h -> s.add(h.id()));
        return s;
    }

    @Test
    void filteredSearchFindsTheTrueTopTenAmongMatchesAtEverySelectivity() {
        for (String tag : List.of("t0", "t1", "t2", "t3")) {
            Filter f = filter("{\"eq\":{\"tags\":\"" + tag + "\"}}");
            double recall = 0;
            int queries = 40;
            for (int q = 0; q < queries; q++) {
                float[] query = data[(q * 149) % N];
                Set<String> truth = ids(index.exactSearch(query, 10, FilteredSearch.predicate(f)));
                FilteredSearch.Result r = PLANNER.search(index, query, 10, 64, f);
                assertEquals(Math.min(10, truth.size()), r.hits().size(), tag);
                for (VectorIndex.Hit h : r.hits()) {
                    assertTrue(f.test(json(h.metadataJson())), "hit " + h.id() + " does not match " + tag);
                }
                Set<String> got = ids(r.hits());
                got.retainAll(truth);
                recall += (double) got.size() / truth.size();
            }
            recall /= queries;
            assertTrue(recall >= 0.95, tag + ": recall@10 " + recall);
        }
    }

    @Test
    void thePlannerScansExactlyForRareFiltersAndWalksTheGraphForCommonOnes() {
        float[] query = data[7];
        assertEquals("exact", PLANNER.search(index, query, 10, 64, filter("{\"eq\":{\"tags\":\"t0\"}}")).plan().strategy());
        // ef 16: 3,000 matches are past the scan's crossover (64 · max(k, ef) = 1,024); at ef 64 they are not
        assertEquals("exact", PLANNER.search(index, query, 10, 64, filter("{\"eq\":{\"tags\":\"t3\"}}")).plan().strategy());
        FilteredSearch.Plan common = PLANNER.search(index, query, 10, 16, filter("{\"eq\":{\"tags\":\"t3\"}}")).plan();
        assertEquals("graph", common.strategy());
        assertEquals(0.5, common.selectivity(), 0.05);
        FilteredSearch.Result walked = PLANNER.search(index, query, 10, 16, filter("{\"eq\":{\"tags\":\"t3\"}}"));
        Set<String> truth = ids(index.exactSearch(query, 10, FilteredSearch.predicate(filter("{\"eq\":{\"tags\":\"t3\"}}"))));
        Set<String> got = ids(walked.hits());
        got.retainAll(truth);
        assertTrue(got.size() >= 9, "the walk's top 10 holds " + got.size() + " of the true ones");
        // 280 matches (4.7 %) are past 64 · max(1, 1) but under the 5 % floor: two hops may not connect them
        assertEquals("exact", PLANNER.search(index, query, 1, 1, filter("{\"range\":{\"n\":{\"lt\":280}}}")).plan().strategy());
        assertEquals("graph", PLANNER.search(index, query, 1, 1, filter("{\"range\":{\"n\":{\"lt\":320}}}")).plan().strategy());
    }

    @Test
    void aNarrowFilterIsWalkedAtSevenEighthsOfTheBreadthOnceItsMatchesOutnumberSixtyFourBreadthsAndABroadOneAtAllOfIt() {
        float[] query = data[9];
        // 1,200 matches (20 %) at ef 16: past 64 · 16 = 1,024, so walked, 14 of breadth 16 (7/8)
        Filter narrow = filter("{\"range\":{\"n\":{\"lt\":1200}}}");
        FilteredSearch.Result r = PLANNER.search(index, query, 10, 16, narrow);
        assertEquals("graph", r.plan().strategy());
        assertEquals(14, r.plan().ef());
        assertEquals(10, r.hits().size());
        Set<String> truth = ids(index.exactSearch(query, 10, FilteredSearch.predicate(narrow)));
        Set<String> got = ids(r.hits());
        got.retainAll(truth);
        assertTrue(got.size() >= 8, "the narrow walk's top 10 holds " + got.size() + " of the true ones");
        // never under k: at ef 10 the breadth stays 10
        assertEquals(10, PLANNER.search(index, query, 10, 10, narrow).plan().ef());
        FilteredSearch.Plan broad = PLANNER.search(index, query, 10, 16, filter("{\"eq\":{\"tags\":\"t3\"}}")).plan();
        assertEquals("graph", broad.strategy());
        assertEquals(16, broad.ef());
    }

    @Test
    void withPayloadIndexesThePlannerCountsTheMatchesExactlyInsteadOfEstimating() {
        // t1 is on exactly 60 of the 6000 items; a 1,000-item sample would only estimate 1 %
        FilteredSearch.Plan p = PLANNER.search(index, data[5], 10, 64, filter("{\"eq\":{\"tags\":\"t1\"}}")).plan();
        assertTrue(p.indexed());
        assertEquals(60.0 / N, p.selectivity(), 1e-12);
        FilteredSearch.Plan range = PLANNER.search(index, data[5], 10, 64, filter("{\"range\":{\"n\":{\"gte\":100,\"lt\":400}}}")).plan();
        assertEquals(300.0 / N, range.selectivity(), 1e-12);
        assertEquals("exact", range.strategy(), "300 matches cost less to scan than the walk's ~1,280 nodes");
    }

    @Test
    void aFilterOnAFieldNoItemHasFindsNothingRatherThanFailing() {
        FilteredSearch.Result r = PLANNER.search(index, data[3], 10, 64, filter("{\"eq\":{\"colour\":\"red\"}}"));
        assertEquals(0, r.hits().size());
    }

    @Test
    void postFilteringAnUnfilteredTopKWouldMissMostOfTheRareMatches() {
        // the reason the planner exists: what a client got before by filtering the 1000 nearest
        Filter f = filter("{\"eq\":{\"tags\":\"t0\"}}");
        float[] query = data[11];
        Set<String> truth = ids(index.exactSearch(query, 10, FilteredSearch.predicate(f)));
        Set<String> post = new HashSet<>();
        for (VectorIndex.Hit h : index.search(query, 100, 100)) {
            if (f.test(json(h.metadataJson()))) {
                post.add(h.id());
            }
        }
        post.retainAll(truth);
        assertTrue(post.size() < truth.size(), "post-filter found " + post.size() + " of " + truth.size());
        assertEquals(truth, ids(PLANNER.search(index, query, 10, 64, f).hits()));
    }
}
