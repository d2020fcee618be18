package dev.lakehouse.vectord.engine;

import com.github.jelmerk.knn.FloatDistanceFunction;
import com.github.jelmerk.knn.SearchResult;
import dev.lakehouse.vectord.engine.int8.Int8Item;
import dev.lakehouse.vectord.engine.int8.Int8Kernels;
import dev.lakehouse.vectord.engine.int8.Int8Vectors;
import java.nio.file.Path;
import java.util.AbstractCollection;
import java.util.Iterator;
import com.github.jelmerk.knn.hnsw.HnswIndex;
import com.github.jelmerk.knn.hnsw.SizeLimitExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import dev.lakehouse.vectord.wal.WalOp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Comparator;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import com.github.jelmerk.knn.DistanceFunction;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One HNSW index (hnswlib-core) made safe for concurrent adds, removes, searches and saves.
 *
 * <p>hnswlib itself allows concurrent adds and searches. Two locks cover what it does not: {@code growth}
 * (its capacity is fixed; {@code resize} swaps internal arrays, so it runs alone) and {@code mutation}
 * (a save must see no add or remove in progress, but searches go on during a save).
 *
 * <p>Search breadth is per query: hnswlib reads one index-wide {@code ef} and uses {@code max(ef, k)},
 * so the index keeps {@code ef = 1} and a query asks for {@code max(k, ef)} candidates and keeps k.
 *
 * <p>An int8 index ({@link Quantization#INT8}, ADR 0034) walks a graph of {@link Int8Item}s (codes on the
 * heap, float originals in an off-heap {@link Int8Vectors} slab) and rescores the top
 * {@code max(ef, 4·k)} candidates on the floats. The graph is held raw-typed: its vector type is
 * {@code float[]} or {@code byte[]} depending on the spec, and every item leaves this class as a
 * {@link VectorItem}.
 */
public final class VectorIndex {
    private static final int INITIAL_CAPACITY = 1024;
    /** An int8 search asks the graph for this many times k candidates (at least ef) to rescore on floats. */
    public static final int INT8_OVERSAMPLING = 4;
    /** Where int8 indexes keep their float originals: a local cache, rebuilt from the snapshot on load. */
    static final Path FLOAT_CACHE_DIR = Path.of(System.getProperty("java.io.tmpdir"), "vectord-float-cache");

    private final IndexSpec spec;
    @SuppressWarnings("rawtypes")
    private final HnswIndex hnsw;
    /** The int8 vectors, null for an unquantized index. */
    private final Int8Vectors int8;
    private final ReentrantReadWriteLock growth = new ReentrantReadWriteLock();
    private final ReentrantReadWriteLock mutation = new ReentrantReadWriteLock();
    /**
     * No more threads than cores inside hnswlib at once. hnswlib-core 1.1.2 needed it (its fixed pool of
     * visited sets could deadlock with node locks: seen with 4 adders + 2 searchers on 2 cores); the fork's
     * pool grows instead, and this bound now caps how many visited sets (4 bytes per node each) it holds.
     */
    private final Semaphore inside = new Semaphore(Runtime.getRuntime().availableProcessors());
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong itemBytes = new AtomicLong();
    /** Where an int8 search leaves the floats it read only to bring them into cache (so the JIT keeps the reads). */
    @SuppressWarnings("unused")
    private float touchSink;
    /** Set by a compaction while it rebuilds: every op applied here is also recorded for the new graph. */
    private volatile List<WalOp> journal;
    /** Set when a compaction swapped this index out: late appliers are redirected to it. */
    private volatile VectorIndex successor;
    private static final java.lang.reflect.Field NODE_COUNT = nodeCountField();
    /** Told every op applied here, in order per writer (payload indexes follow the items this way). */
    private final List<java.util.function.Consumer<WalOp>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    @SuppressWarnings("rawtypes")
    private VectorIndex(IndexSpec spec, HnswIndex hnsw, Int8Vectors int8) {
        this.spec = spec;
        this.hnsw = hnsw;
        this.int8 = int8;
        for (Object item : hnsw.items()) {
            itemBytes.addAndGet(heapBytes(item));
        }
    }

    private static java.lang.reflect.Field nodeCountField() {
        try {
            java.lang.reflect.Field f = HnswIndex.class.getDeclaredField("nodeCount");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // then tombstones read as 0 and memory counts live items only
        }
    }

    public static VectorIndex create(IndexSpec spec) {
        return create(spec, INITIAL_CAPACITY);
    }

    public static VectorIndex create(IndexSpec spec, int capacity) {
        if (spec.quantization() == Quantization.INT8) {
            HnswIndex<String, byte[], Int8Item, Float> h = HnswIndex
                    .newBuilder(spec.dim(), int8Distance(spec), Math.max(16, capacity))
                    .withCustomSerializers(ItemCodec.Ids.INSTANCE, ItemCodec.Int8Items.INSTANCE)
                    .withM(spec.m())
                    .withEfConstruction(spec.efConstruction())
                    .withEf(1)
                    .withRemoveEnabled()
                    .build();
            return new VectorIndex(spec, h, Int8Vectors.create(spec.dim(), FLOAT_CACHE_DIR));
        }
        HnswIndex<String, float[], VectorItem, Float> h = HnswIndex
                .newBuilder(spec.dim(), spec.distance().function(), Math.max(16, capacity))
                .withCustomSerializers(ItemCodec.Ids.INSTANCE, ItemCodec.Items.INSTANCE)
                .withM(spec.m())
                .withEfConstruction(spec.efConstruction())
                .withEf(1)
                .withRemoveEnabled()
                .build();
        return new VectorIndex(spec, h, null);
    }

    private static Int8Kernels int8Distance(IndexSpec spec) {
        return spec.distance() == Distance.L2 ? Int8Kernels.L2 : Int8Kernels.DOT;
    }

    /**
     * Reads a graph written by {@link Frozen#writeGraph} through the {@link GraphFilter} allow-list (for an
     * int8 index, the float section before it).
     */
    @SuppressWarnings("rawtypes")
    public static VectorIndex readGraph(IndexSpec spec, InputStream in) throws IOException {
        Int8Vectors int8 = spec.quantization() == Quantization.INT8
                ? Int8Vectors.readSection(in, spec.dim(), FLOAT_CACHE_DIR) : null;
        Object o;
        try (ObjectInputStream ois = new ObjectInputStream(in)) {
            ois.setObjectInputFilter(GraphFilter.INSTANCE);
            o = ois.readObject();
        } catch (ClassNotFoundException e) {
            throw new InvalidObjectException("graph names an unknown class: " + e.getMessage());
        }
        if (!(o instanceof HnswIndex<?, ?, ?, ?> h)) {
            throw new InvalidObjectException("graph is not an HNSW index");
        }
        HnswIndex hnsw = h;
        if (hnsw.getDimensions() != spec.dim()) {
            throw new InvalidObjectException("graph has dimension " + hnsw.getDimensions() + ", header says " + spec.dim());
        }
        Object expected = int8 == null ? spec.distance().function() : int8Distance(spec);
        if (hnsw.getDistanceFunction() != expected) {
            throw new InvalidObjectException("graph distance does not match header distance " + spec.distance().wire()
                    + " (quantization " + spec.quantization().wire() + ")");
        }
        if (int8 != null) {
            for (Object item : hnsw.items()) {
                if (!(item instanceof Int8Item i8)) {
                    throw new InvalidObjectException("int8 graph holds an item of another kind");
                }
                int8.checkSlot(i8);
            }
        }
        hnsw.setEf(1);
        return new VectorIndex(spec, hnsw, int8);
    }

    public IndexSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** Live items. */
    public int size() {
        return hnsw.size();
    }

    /** Count of mutations so far; a save records the value it captured, so "dirty" is {@code changes() > saved}. */
    public long changes() {
        return changes.get();
    }

    /**
     * Adds or replaces every item. The caller has validated dimensions (see {@link #check}); vectors of a
     * cosine index are normalised here, in place (then refused if that left a non-finite value).
     */
    public void addAll(List<VectorItem> items) {
        List<WalOp> ops = new ArrayList<>(items.size());
        for (VectorItem item : items) {
            ops.add(new WalOp.Put(new VectorItem(item.id(), prepare(item.vector()), item.metadataJson())));
        }
        apply(ops);
    }

    /**
     * Applies prepared ops in order (puts replace, deletes of an absent id do nothing: replay is idempotent).
     * Returns the index that took them: after a compaction swapped this index out, its successor.
     */
    public VectorIndex apply(List<WalOp> ops) {
        mutation.readLock().lock();
        try {
            if (successor != null) {
                return successor.apply(ops);
            }
            if (int8 != null && Float.isNaN(int8.scale())) {
                List<float[]> batch = new ArrayList<>();
                for (WalOp op : ops) {
                    if (op instanceof WalOp.Put p) {
                        batch.add(p.item().vector());
                    }
                }
                int8.calibrate(batch);
            }
            for (WalOp op : ops) {
                if (op instanceof WalOp.Put p) {
                    addOne(p.item());
                } else if (op instanceof WalOp.Delete) {
                    removeOne(op.id());
                }
                for (java.util.function.Consumer<WalOp> l : listeners) {
                    l.accept(op);
                }
            }
            changes.incrementAndGet();
            List<WalOp> j = journal;
            if (j != null) {
                synchronized (j) {
                    j.addAll(ops);
                }
            }
            return this;
        } finally {
            mutation.readLock().unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private void addOne(VectorItem given) {
        com.github.jelmerk.knn.Item<String, ?> item = int8 == null ? given : int8.store(given);
        while (true) {
            int capacity = 0;
            growth.readLock().lock();
            try {
                capacity = hnsw.getMaxItemCount();
                inside.acquireUninterruptibly();
                try {
                    if (hnsw.add(item)) {
                        itemBytes.addAndGet(heapBytes(item));
                    }
                } finally {
                    inside.release();
                }
                return;
            } catch (SizeLimitExceededException e) {
                // grow below, without the read lock
            } finally {
                growth.readLock().unlock();
            }
            growth.writeLock().lock();
            try {
                if (hnsw.getMaxItemCount() == capacity) {
                    hnsw.resize(capacity * 2);
                }
            } finally {
                growth.writeLock().unlock();
            }
        }
    }

    private boolean removeOne(String id) {
        growth.readLock().lock();
        try {
            return hnsw.remove(id, 0);
        } finally {
            growth.readLock().unlock();
        }
    }

    /** Throws IllegalArgumentException (with the reason) if {@code v} cannot go into or query this index. */
    public void check(float[] v) {
        if (v == null) {
            throw new IllegalArgumentException("no vector");
        }
        if (v.length != spec.dim()) {
            throw new IllegalArgumentException("vector has " + v.length + " dimensions, index '" + spec.name()
                    + "' has " + spec.dim());
        }
        double norm = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("vector holds a non-finite value");
            }
            norm += (double) x * x;
        }
        if (spec.distance().normalizes() && norm == 0) {
            throw new IllegalArgumentException("zero vector has no cosine direction");
        }
    }

    /**
     * Checks {@code v} and returns the vector as it is stored: normalised in place for cosine. A value that is
     * not finite after normalisation is refused, so nothing like {@code Infinity} ever reaches the graph.
     */
    public float[] prepare(float[] v) {
        check(v);
        if (spec.distance().normalizes()) {
            Kernels.normalize(v);
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("vector is not finite after normalisation");
                }
            }
        }
        return v;
    }

    /** Removes one item now (no WAL); true if it was there. */
    public boolean remove(String id) {
        boolean had = contains(id);
        apply(List.of(new WalOp.Delete(id)));
        return had;
    }

    public boolean contains(String id) {
        return hnsw.get(id).isPresent();
    }

    /** The stored item (vector as stored: unit length for cosine). */
    @SuppressWarnings("unchecked")
    public Optional<VectorItem> get(String id) {
        return ((Optional<Object>) hnsw.get(id)).map(this::item);
    }

    /**
     * Calls {@code listener} with each op applied from now on, after the graph took it, on the writer's thread
     * (with the mutation lock held: it must be quick). Not called for ops redirected to a successor.
     */
    public void listen(java.util.function.Consumer<WalOp> listener) {
        listeners.add(listener);
    }

    public void unlisten(java.util.function.Consumer<WalOp> listener) {
        listeners.remove(listener);
    }

    /** Live items (a view; for a rebuild). For an int8 index each item's floats are copied out as it is read. */
    @SuppressWarnings("unchecked")
    public Collection<VectorItem> items() {
        if (int8 == null) {
            return hnsw.items();
        }
        Collection<Int8Item> stored = hnsw.items();
        return new AbstractCollection<>() {
            @Override
            public Iterator<VectorItem> iterator() {
                Iterator<Int8Item> it = stored.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public VectorItem next() {
                        return int8.item(it.next());
                    }
                };
            }

            @Override
            public int size() {
                return stored.size();
            }
        };
    }

    private VectorItem item(Object stored) {
        return stored instanceof Int8Item i8 ? int8.item(i8) : (VectorItem) stored;
    }

    /** Graph nodes, live and tombstoned: hnswlib keeps a removed or replaced item's node (and vector) in place. */
    public int nodes() {
        try {
            return (int) NODE_COUNT.get(hnsw);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return hnsw.size();
        }
    }

    public int tombstones() {
        return Math.max(0, nodes() - size());
    }

    /**
     * Estimated heap of the index: per node its vector (floats, or int8 codes), its links (about 2·m level-0
     * ints plus upper levels), the node, item and lookup-entry objects; plus the ids' and metadata's
     * characters. An int8 index's float originals are off the heap: see {@link #offHeapBytes()}.
     */
    public long memoryBytes() {
        return (long) nodes() * perNodeBytes() + itemBytes.get();
    }

    /** The heap one more item would take (for admission), its id and metadata included. */
    public long bytesFor(VectorItem item) {
        return perNodeBytes() + heapBytes(item);
    }

    /**
     * The heap a second graph of {@code items} nodes takes beside this one when it reuses this one's items (a
     * compaction's rebuild): links and per-node objects (and, for int8, the new codes), not the float vectors,
     * ids or metadata.
     */
    public long graphBytes(int items) {
        // a float rebuild shares this graph's vectors; an int8 one encodes its own codes (its floats go off heap)
        return (long) items * (perNodeBytes() - (int8 == null ? vectorBytes() : 0));
    }

    /** Bytes of the mapped float cache of an int8 index (0 otherwise): not heap, but memory the OS may page. */
    public long offHeapBytes() {
        return int8 == null ? 0 : int8.offHeapBytes();
    }

    private long perNodeBytes() {
        return vectorBytes() + 16L + 4L * 2 * spec.m() * 5 / 4 + 200;
    }

    /** One vector on the heap: the array header and its floats or codes. */
    private long vectorBytes() {
        return 16L + (int8 == null ? 4L : 1L) * spec.dim();
    }

    private static long heapBytes(Object stored) {
        String id = stored instanceof Int8Item i8 ? i8.id() : ((VectorItem) stored).id();
        String meta = stored instanceof Int8Item i8 ? i8.metadataJson() : ((VectorItem) stored).metadataJson();
        return 2L * id.length() + (meta == null ? 0 : 2L * meta.length());
    }

    public record Hit(String id, float score, float distance, String metadataJson) {}

    /** The k closest live items, closest first; {@code ef} is this query's search breadth (≥ k is used). */
    public List<Hit> search(float[] query, int k, int ef) {
        return search(query, k, ef, null);
    }

    /**
     * The k closest live items that {@code accept} takes, closest first. The filter runs inside the HNSW
     * walk (the fork's {@code findNearest} with a predicate): rejected nodes are traversed but never enter the
     * result set, and the walk goes on until it holds {@code max(k, ef)} accepted items or has visited every
     * reachable node, so a selective filter still finds its k (at the cost of a longer walk; a planner
     * should switch to {@link #exactSearch(float[], int, Predicate)} when few items pass). {@code accept} is
     * called on hnswlib's search thread, once per node the walk keeps: it must be cheap, pure and thread-safe.
     *
     * @param accept which items may be returned; {@code null} accepts every item
     */
    public List<Hit> search(float[] query, int k, int ef, Predicate<VectorItem> accept) {
        return search(query, k, ef, accept, null);
    }

    /**
     * The k closest live items among the graph nodes {@code acceptNode} takes (by {@link #nodeId}), closest
     * first: the fork's ACORN walk ({@code findNearestAmong}), which computes distances for accepted nodes only
     * and reaches them through rejected ones two hops at a time (ADR 0036). {@code acceptNode} must be a cheap
     * bit test; a node added after it was built is simply not taken.
     */
    public List<Hit> searchNodes(float[] query, int k, int ef, IntPredicate acceptNode) {
        return search(query, k, ef, null, java.util.Objects.requireNonNull(acceptNode));
    }

    /** The graph node of item {@code id} (what {@link #searchNodes} filters on), or -1 if absent. */
    @SuppressWarnings("unchecked")
    public int nodeId(String id) {
        return hnsw.nodeIdOf(id);
    }

    private List<Hit> search(float[] query, int k, int ef, Predicate<VectorItem> accept, IntPredicate acceptNode) {
        float[] q = asStored(query);
        if (int8 != null) {
            return searchInt8(q, k, ef, accept, acceptNode);
        }
        List<SearchResult<VectorItem, Float>> found;
        growth.readLock().lock();
        try {
            inside.acquireUninterruptibly();
            try {
                found = hnswSearch(q, k, Math.max(k, ef), accept, acceptNode);
            } finally {
                inside.release();
            }
        } finally {
            growth.readLock().unlock();
        }
        List<Hit> hits = new ArrayList<>(Math.min(k, found.size()));
        for (int i = 0; i < found.size() && i < k; i++) {
            hits.add(hit(found.get(i)));
        }
        return hits;
    }

    private Hit hit(SearchResult<VectorItem, Float> r) {
        return new Hit(r.item().id(), spec.distance().score(r.distance()), r.distance(), r.item().metadataJson());
    }

    /** The checked query as the index compares it: a normalised copy for cosine. */
    private float[] asStored(float[] query) {
        check(query);
        if (!spec.distance().normalizes()) {
            return query;
        }
        float[] q = query.clone();
        Kernels.normalize(q);
        return q;
    }

    /**
     * The k best of a walk of breadth {@code ef} (hnswlib builds no result beyond the k); with
     * {@code acceptNode}, the ACORN walk, which returns up to {@code ef} (the caller keeps k).
     */
    @SuppressWarnings("unchecked")
    private <T> List<SearchResult<T, Float>> hnswSearch(Object query, int k, int ef, Predicate<T> accept,
                                                        IntPredicate acceptNode) {
        return acceptNode != null ? hnsw.findNearestAmong(query, ef, acceptNode) : hnsw.findNearest(query, k, ef, accept);
    }

    /** The walk on int8 codes for {@code max(k, ef, 4·k)} candidates, then the k best of them on floats. */
    private List<Hit> searchInt8(float[] q, int k, int ef, Predicate<VectorItem> accept, IntPredicate acceptNode) {
        byte[] codes = int8.encode(q);
        Predicate<Int8Item> test = accept == null ? null : stored -> accept.test(int8.item(stored));
        List<SearchResult<Int8Item, Float>> found;
        growth.readLock().lock();
        try {
            inside.acquireUninterruptibly();
            try {
                int n = Math.max(Math.max(k, ef), INT8_OVERSAMPLING * k);
                found = hnswSearch(codes, n, n, test, acceptNode);
            } finally {
                inside.release();
            }
        } finally {
            growth.readLock().unlock();
        }
        @SuppressWarnings("unchecked")
        FloatDistanceFunction<float[]> f = (FloatDistanceFunction<float[]>) (Object) spec.distance().function();
        float[] v = new float[spec.dim()];
        float[] dist = new float[found.size()];
        // (distance as a sortable int, index) in one long: a primitive sort, no Integer and comparator per pair
        long[] order = new long[found.size()];
        // every candidate's floats are loaded before the first is scored: their cache misses overlap
        float touched = 0;
        for (SearchResult<Int8Item, Float> r : found) {
            touched += int8.touch(r.item());
        }
        touchSink = touched;
        for (int i = 0; i < found.size(); i++) {
            int8.floats(found.get(i).item(), v);
            dist[i] = f.floatDistance(q, v);
            int bits = Float.floatToIntBits(dist[i]);
            order[i] = ((long) (bits ^ ((bits >> 31) & 0x7fffffff)) << 32) | i; // ordered as the floats
        }
        java.util.Arrays.sort(order);
        List<Hit> hits = new ArrayList<>(Math.min(k, found.size()));
        for (int i = 0; i < order.length && i < k; i++) {
            int at = (int) order[i];
            Int8Item item = found.get(at).item();
            float d = dist[at];
            hits.add(new Hit(item.id(), spec.distance().score(d), d, item.metadataJson()));
        }
        return hits;
    }

    /** Exact k-NN by scanning every item (the recall reference). */
    public List<Hit> exactSearch(float[] query, int k) {
        return exactSearch(query, k, null);
    }

    /** Exact k-NN among the items {@code accept} takes ({@code null}: all), by scanning every live item. */
    public List<Hit> exactSearch(float[] query, int k, Predicate<VectorItem> accept) {
        return scan(query, k, items(), accept);
    }

    /**
     * Exact k-NN among {@code candidates} only (items of this index, e.g. a payload index's matches): the
     * cost is one distance per candidate, whatever the index's size.
     */
    public List<Hit> exactSearchAmong(float[] query, int k, Collection<VectorItem> candidates) {
        if (int8 == null) {
            return scan(query, k, candidates, null);
        }
        // candidates kept by a side index hold no floats (see retainable): read each one's from the cache
        List<VectorItem> stored = new ArrayList<>(candidates.size());
        for (VectorItem c : candidates) {
            get(c.id()).ifPresent(stored::add);
        }
        return scan(query, k, stored, null);
    }

    /**
     * Exact k-NN among the graph nodes set in {@code nodes} (by {@link #nodeId}): one distance per node, its
     * vector read by node id in the fork (one load fewer per match than item → vector). An int8 index keeps
     * only codes in the graph, so it scans {@code items} on their floats instead ({@link #exactSearchAmong}).
     */
    public List<Hit> exactSearchNodes(float[] query, int k, java.util.BitSet nodes,
                                      java.util.function.Supplier<Collection<VectorItem>> items) {
        if (int8 != null) {
            return exactSearchAmong(query, k, items.get());
        }
        @SuppressWarnings("unchecked")
        List<SearchResult<VectorItem, Float>> found = hnsw.exactAmong(asStored(query), k, nodes);
        List<Hit> hits = new ArrayList<>(found.size());
        for (SearchResult<VectorItem, Float> r : found) {
            hits.add(hit(r));
        }
        return hits;
    }

    private static final float[] NO_FLOATS = new float[0];

    /**
     * What a side index (e.g. a payload index) may keep of an item: the item itself, or for an int8 index the
     * item without its floats, so they are not held on the heap twice; {@link #exactSearchAmong} reads them.
     */
    public VectorItem retainable(VectorItem item) {
        return int8 == null ? item : new VectorItem(item.id(), NO_FLOATS, item.metadataJson());
    }

    private List<Hit> scan(float[] query, int k, Iterable<VectorItem> items, Predicate<VectorItem> accept) {
        float[] q = asStored(query);
        DistanceFunction<float[], Float> f = spec.distance().function();
        // max-heap on distance holding the k best so far
        PriorityQueue<Hit> best = new PriorityQueue<>(Comparator.comparingDouble(Hit::distance).reversed());
        for (VectorItem item : items) {
            if (accept != null && !accept.test(item)) {
                continue;
            }
            float d = f.distance(q, item.vector());
            if (best.size() < k) {
                best.add(new Hit(item.id(), spec.distance().score(d), d, item.metadataJson()));
            } else if (k > 0 && d < best.peek().distance()) {
                best.poll();
                best.add(new Hit(item.id(), spec.distance().score(d), d, item.metadataJson()));
            }
        }
        List<Hit> hits = new ArrayList<>(best);
        hits.sort(Comparator.comparingDouble(Hit::distance));
        return hits;
    }

    /** What a save captured: how many live items and the {@link #changes()} value it reflects. */
    public record Snapshot(int count, long changes) {}

    /** A consistent view for {@link #writeGraph}: no add or remove runs until the returned handle is closed. */
    public final class Frozen implements AutoCloseable {
        private final Snapshot snapshot;

        private Frozen() {
            mutation.writeLock().lock();
            snapshot = new Snapshot(hnsw.size(), changes.get());
        }

        public Snapshot snapshot() {
            return snapshot;
        }

        /** Starts recording every op applied from now on (for a compaction's rebuild). */
        public void startJournal() {
            journal = new ArrayList<>();
        }

        /** The ops applied since {@link #startJournal}, and stops recording. */
        public List<WalOp> takeJournal() {
            List<WalOp> j = journal;
            journal = null;
            return j == null ? List.of() : j;
        }

        /** From now on every apply on this index goes to {@code next} (a compaction's rebuilt graph). */
        public void retireTo(VectorIndex next) {
            successor = next;
        }

        /** Writes the graph (hnswlib's serialized form); {@code out} is not closed. */
        public void writeGraph(OutputStream out) throws IOException {
            if (int8 != null) {
                int8.writeSection(new dev.lakehouse.common.io.NonClosingOutputStream(out));
            }
            hnsw.save(new dev.lakehouse.common.io.NonClosingOutputStream(out));
        }

        @Override
        public void close() {
            mutation.writeLock().unlock();
        }
    }

    public Frozen freeze() {
        return new Frozen();
    }
}
