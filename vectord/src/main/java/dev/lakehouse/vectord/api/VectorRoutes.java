package dev.lakehouse.vectord.api;

import com.fasterxml.jackson.core.StreamReadFeature;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.NotFound;
import dev.lakehouse.common.error.ServiceUnavailable;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.common.routes.Routes;
import dev.lakehouse.vectord.engine.Distance;
import dev.lakehouse.vectord.engine.IndexSpec;
import dev.lakehouse.vectord.engine.VectorIndex;
import dev.lakehouse.vectord.engine.VectorItem;
import dev.lakehouse.vectord.filter.Filter;
import dev.lakehouse.vectord.filter.FilterParser;
import dev.lakehouse.vectord.retrieval.Retriever;
import dev.lakehouse.vectord.source.Sources;
import dev.lakehouse.vectord.source.SyncState;
import dev.lakehouse.vectord.store.IndexRegistry;
import dev.lakehouse.vectord.store.ManagedIndex;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The HTTP API of vectord (paths in {@link Routes.Vectors}). Validates, then delegates to the registry. */
public final class VectorRoutes {
    public static final int MAX_K = 1000;
    public static final int MAX_EF = 10_000;
    public static final int MAX_BATCH = 10_000;
    public static final int MAX_ID_CHARS = 512;
    public static final int MAX_METADATA_BYTES = 64 * 1024;

    private final IndexRegistry registry;
    private final TextEmbedder embedder;
    private final BooleanSupplier ready;
    private final Retriever retriever;
    private final Sources sources;

    public VectorRoutes(IndexRegistry registry, TextEmbedder embedder, BooleanSupplier ready, Sources sources,
                        Retriever retriever) {
        this.retriever = retriever;
        this.registry = registry;
        this.embedder = embedder;
        this.ready = ready;
        this.sources = sources;
    }

    public void register(RoutesConfig r) {
        r.post(Routes.Vectors.INDEXES, this::create);
        r.get(Routes.Vectors.INDEXES, this::list);
        r.get(Routes.Vectors.INDEX, this::info);
        r.delete(Routes.Vectors.INDEX, this::delete);
        r.post(Routes.Vectors.ADD, this::add);
        r.post(Routes.Vectors.SEARCH, this::search);
        r.get(Routes.Vectors.ITEM, this::getItem);
        r.delete(Routes.Vectors.ITEM, this::removeItem);
        r.post(Routes.Vectors.SAVE, this::save);
        r.post(Routes.Vectors.COMPACT, this::compact);
        r.post(Routes.Vectors.SYNC, this::sync);
    }

    private void requireReady() {
        if (!ready.getAsBoolean()) {
            throw new ServiceUnavailable("vectord is still loading its indexes from storage", ErrorCodes.NOT_READY, 2);
        }
    }

    /**
     * Strict as every request (Json.MAPPER), with Jackson's fast float parser: the same correctly rounded values
     * as {@link Float#parseFloat}, at about half the CPU for an add's 768 floats per item (ADR 0051).
     */
    private static <T> T body(Context ctx, Class<T> type) throws IOException {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length == 0) {
            throw new BadRequest("request body is empty; expected JSON");
        }
        T value = Json.MAPPER.readerFor(type).with(StreamReadFeature.USE_FAST_DOUBLE_PARSER).readValue(raw);
        if (value == null) {
            throw new BadRequest("request body is null; expected a JSON object");
        }
        return value;
    }

    private String indexName(Context ctx) {
        String name = ctx.pathParam("name");
        if (!IndexSpec.NAME.matcher(name).matches()) {
            throw new NotFound("no index '" + name + "' (names match " + IndexSpec.NAME.pattern() + ")",
                    Map.of("code", ErrorCodes.INDEX_NOT_FOUND, "index", name));
        }
        return name;
    }

    void create(Context ctx) throws IOException {
        requireReady();
        CreateIndexRequest req = body(ctx, CreateIndexRequest.class);
        if (req.dim() == null) {
            throw new BadRequest("dim is required (a positive integer)");
        }
        IndexSpec spec = new IndexSpec(req.name(), req.dim(), Distance.parse(req.distance()),
                req.m() == null ? IndexSpec.DEFAULT_M : req.m(),
                req.efConstruction() == null ? IndexSpec.DEFAULT_EF_CONSTRUCTION : req.efConstruction(),
                req.efSearch() == null ? IndexSpec.DEFAULT_EF_SEARCH : req.efSearch(),
                dev.lakehouse.vectord.engine.Quantization.parse(req.quantization()));
        if (req.source() != null) {
            req.source().validated();
        }
        ManagedIndex m = registry.create(spec);
        if (req.source() != null) {
            attach(m, req.source());
        }
        ctx.status(201).json(info(m));
    }

    /**
     * Builds the new index from its dataset before answering. A source that cannot work (no such dataset, a column
     * it lacks: a 4xx) undoes the create; a passing failure (embedd or queryd down) keeps the index, its source
     * status {@code failing} with the reason, and the poll retries.
     */
    private void attach(ManagedIndex m, dev.lakehouse.vectord.source.DatasetSource source) {
        dev.lakehouse.common.error.ApiException refused;
        try {
            SyncState s = sources.attach(m.name(), source);
            if (!SyncState.STALE.equals(s.status())) {
                return;
            }
            refused = new BadRequest("source.dataset '" + source.dataset() + "' does not exist; the index was not created",
                    Map.of("code", ErrorCodes.BAD_INDEX_SOURCE, "dataset", source.dataset()));
        } catch (dev.lakehouse.common.error.ApiException e) {
            if (e.status() >= 500) {
                return;
            }
            refused = new BadRequest("source cannot be read: " + e.getMessage() + "; the index was not created",
                    Map.of("code", ErrorCodes.BAD_INDEX_SOURCE, "dataset", source.dataset()));
        }
        sources.drop(m.name());
        registry.delete(m.name());
        throw refused;
    }

    void list(Context ctx) {
        requireReady();
        ctx.json(new IndexList(registry.all().stream().map(this::info).toList()));
    }

    void info(Context ctx) {
        requireReady();
        ctx.json(info(registry.slot(indexName(ctx))));
    }

    void delete(Context ctx) {
        requireReady();
        String name = indexName(ctx);
        registry.delete(name);
        retriever.drop(name);
        sources.drop(name);
        ctx.status(204);
    }

    /** Takes a snapshot now (acknowledged changes are durable in the WAL already; this shortens the next recovery). */
    void save(Context ctx) {
        requireReady();
        ctx.json(info(registry.snapshot(indexName(ctx))));
    }

    void compact(Context ctx) {
        requireReady();
        ctx.json(info(registry.compact(indexName(ctx))));
    }

    /** A dataset-backed index: sync with the dataset's latest version now (409 for an index without a source). */
    void sync(Context ctx) {
        requireReady();
        String name = indexName(ctx);
        registry.live(name);
        sources.sync(name);
        ctx.json(info(registry.slot(name)));
    }

    void getItem(Context ctx) {
        requireReady();
        String name = indexName(ctx);
        String id = ctx.pathParam("id");
        VectorItem item = registry.item(name, id)
                .orElseThrow(() -> new NotFound("no item '" + id + "' in index '" + name + "'",
                        Map.of("code", "item_not_found", "index", name, "item_id", id)));
        boolean withVector = "true".equals(ctx.queryParam("vector"));
        ctx.json(new ItemView(item.id(), withVector ? item.vector() : null, item.metadataJson()));
    }

    void removeItem(Context ctx) {
        requireReady();
        String name = indexName(ctx);
        String id = ctx.pathParam("id");
        IndexRegistry.Result r = registry.remove(name, id, keyed(ctx, "DELETE item", name, id.getBytes(StandardCharsets.UTF_8)));
        if (r.status() == 404) {
            throw new NotFound("no item '" + id + "' in index '" + name + "'",
                    Map.of("code", ErrorCodes.ITEM_NOT_FOUND, "index", name, "item_id", id));
        }
        replayedHeader(ctx, r);
        snapshotIfAsked(ctx, name);
        ctx.status(r.status());
    }

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[\\x21-\\x7e]{1,255}");

    /**
     * The request's {@code Idempotency-Key} (1..255 visible ASCII characters) with the SHA-256 of what it asks
     * (route, index and body), or null without the header.
     */
    private static IndexRegistry.Keyed keyed(Context ctx, String route, String index, byte[] body) {
        String key = ctx.header(IDEMPOTENCY_KEY);
        if (key == null) {
            return null;
        }
        if (!KEY.matcher(key).matches()) {
            throw new BadRequest(IDEMPOTENCY_KEY + " must be 1..255 visible ASCII characters",
                    Map.of("code", "bad_idempotency_key"));
        }
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update((route + "\n" + index + "\n").getBytes(StandardCharsets.UTF_8));
            return new IndexRegistry.Keyed(key, sha.digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void replayedHeader(Context ctx, IndexRegistry.Result r) {
        if (r.replayed()) {
            ctx.header("Idempotent-Replayed", "true");
        }
    }

    /**
     * {@code ?save=true}: kept for old clients. The change is durable (in the WAL) before any answer anyway;
     * this also takes a snapshot before answering.
     */
    private void snapshotIfAsked(Context ctx, String name) {
        if ("true".equals(ctx.queryParam("save"))) {
            registry.snapshot(name);
        }
    }

    void add(Context ctx) throws IOException {
        requireReady();
        String name = indexName(ctx);
        VectorIndex index = registry.live(name);
        AddRequest req = body(ctx, AddRequest.class);
        if (req.items() == null || req.items().isEmpty()) {
            throw new BadRequest("items must be a non-empty list");
        }
        if (req.items().size() > MAX_BATCH) {
            throw new BadRequest("at most " + MAX_BATCH + " items per add (got " + req.items().size() + ")");
        }
        List<VectorItem> items = new ArrayList<>(req.items().size());
        List<Integer> textSlots = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < req.items().size(); i++) {
            AddItem it = req.items().get(i);
            if (it == null) {
                throw itemError(i, null, "is null");
            }
            if (it.id() == null || it.id().isEmpty() || it.id().length() > MAX_ID_CHARS) {
                throw itemError(i, it.id(), "id must be a string of 1.." + MAX_ID_CHARS + " characters");
            }
            if ((it.vector() == null) == (it.text() == null)) {
                throw itemError(i, it.id(), "needs exactly one of vector or text");
            }
            String meta = metadata(i, it);
            if (it.vector() != null) {
                try {
                    index.prepare(it.vector());
                } catch (IllegalArgumentException e) {
                    throw itemError(i, it.id(), e.getMessage());
                }
            } else {
                if (it.text().isBlank()) {
                    throw itemError(i, it.id(), "text is blank");
                }
                textSlots.add(i);
                texts.add(it.text());
            }
            items.add(new VectorItem(it.id(), it.vector(), meta));
        }
        if (!texts.isEmpty()) {
            List<float[]> vectors = embedder.embed(texts, index.spec().dim(), name);
            for (int j = 0; j < textSlots.size(); j++) {
                int i = textSlots.get(j);
                VectorItem it = items.get(i);
                float[] v = vectors.get(j);
                try {
                    index.prepare(v);
                } catch (IllegalArgumentException e) {
                    throw itemError(i, it.id(), "embedded text: " + e.getMessage());
                }
                items.set(i, new VectorItem(it.id(), v, it.metadataJson()));
            }
        }
        IndexRegistry.Result r = registry.add(name, items, keyed(ctx, "POST add", name, ctx.bodyAsBytes()));
        replayedHeader(ctx, r);
        snapshotIfAsked(ctx, name);
        ctx.status(r.status()).json(new AddResponse(r.added(), registry.live(name).size()));
    }

    private static String metadata(int i, AddItem it) {
        if (it.metadata() == null || it.metadata().isNull()) {
            return null;
        }
        if (!it.metadata().isObject()) {
            throw itemError(i, it.id(), "metadata must be a JSON object");
        }
        String json = Json.write(it.metadata());
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
            throw itemError(i, it.id(), "metadata exceeds " + MAX_METADATA_BYTES + " bytes");
        }
        return json;
    }

    private static BadRequest itemError(int i, String id, String why) {
        String who = id == null ? "items[" + i + "]" : "items[" + i + "] (id '" + id + "')";
        Map<String, Object> details = id == null ? Map.of("item_index", i) : Map.of("item_index", i, "item_id", id);
        return new BadRequest(who + ": " + why + "; no item of this batch was added", details);
    }

    void search(Context ctx) throws IOException {
        requireReady();
        String name = indexName(ctx);
        VectorIndex index = registry.live(name);
        SearchRequest req = body(ctx, SearchRequest.class);
        int k = req.k() == null ? 10 : req.k();
        if (k < 1 || k > MAX_K) {
            throw new BadRequest("k must be between 1 and " + MAX_K + " (got " + k + ")");
        }
        int ef = req.ef() == null ? index.spec().efSearch() : req.ef();
        if (ef < 1 || ef > MAX_EF) {
            throw new BadRequest("ef must be between 1 and " + MAX_EF + " (got " + ef + ")");
        }
        Retriever.Mode mode = Retriever.Mode.parse(req.mode());
        if (mode == null) {
            throw new BadRequest("mode must be one of dense, keyword, hybrid (got '" + req.mode() + "')",
                    Map.of("code", ErrorCodes.BAD_SEARCH_MODE, "mode", req.mode()));
        }
        if (mode == Retriever.Mode.DENSE && (req.vector() == null) == (req.text() == null)) {
            throw new BadRequest("search needs exactly one of vector or text");
        }
        if (mode != Retriever.Mode.DENSE && (req.text() == null || req.text().isBlank())) {
            throw new BadRequest(mode.wire() + " search needs a non-blank text (the keyword query)");
        }
        if (mode == Retriever.Mode.KEYWORD && req.vector() != null) {
            throw new BadRequest("keyword search takes a text, not a vector");
        }
        boolean exact = Boolean.TRUE.equals(req.exact());
        if (exact && mode != Retriever.Mode.DENSE) {
            throw new BadRequest("exact applies to dense search only (got mode '" + mode.wire() + "')",
                    Map.of("code", ErrorCodes.BAD_SEARCH_MODE, "mode", mode.wire()));
        }
        Filter filter = FilterParser.parse(req.filter());
        float[] q = req.vector();
        if (q == null && mode != Retriever.Mode.KEYWORD) {
            if (req.text().isBlank()) {
                throw new BadRequest("text is blank");
            }
            q = embedder.embed(List.of(req.text()), index.spec().dim(), name).get(0);
        }
        if (q != null) {
            try {
                index.check(q);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("query " + e.getMessage());
            }
        }
        if (exact) { // the scan every item pays: a reference for recall and speed, never a plan
            List<Hit> hits = index.exactSearch(q, k, filter == null ? null : dev.lakehouse.vectord.retrieval.FilteredSearch.predicate(filter))
                    .stream().map(h -> new Hit(h.id(), h.score(), h.distance(), h.metadataJson())).toList();
            ctx.json(new SearchResponse(hits, k, 0, mode.wire(), null));
            return;
        }
        Retriever.Result r = retriever.search(index, mode, q, req.text(), k, ef, filter);
        List<Hit> hits = r.hits().stream()
                .map(h -> new Hit(h.id(), h.score(), h.distance(), h.metadataJson()))
                .toList();
        ctx.json(new SearchResponse(hits, k, Math.max(k, ef), mode.wire(), r.plan()));
    }

    IndexInfo info(ManagedIndex m) {
        VectorIndex idx = m.index();
        Map<String, Object> source = sources.state(m.name()).map(SyncState::view).orElse(null);
        if (idx == null) {
            return new IndexInfo(m.name(), "failed", m.failure(), null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, source, null, null);
        }
        IndexSpec s = idx.spec();
        return new IndexInfo(m.name(), "ready", null, s.dim(), s.distance().wire(), s.m(), s.efConstruction(),
                s.efSearch(), idx.size(), idx.tombstones(), idx.memoryBytes(), m.dirty(), m.lastSavedAt(),
                m.lastSaveBytes(), m.lastSaveMs(), m.lastPauseMs(), m.lastSaveError(), m.walSeq(), m.snapshotSeq(),
                m.walRecordsSinceSnapshot(), m.walBytesSinceSnapshot(), m.replayedRecords(), m.walProblem(),
                m.compacting(), m.lastCompaction(), source, s.quantization().wire(), idx.offHeapBytes());
    }
}
