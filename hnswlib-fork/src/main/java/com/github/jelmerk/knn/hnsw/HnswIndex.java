package com.github.jelmerk.knn.hnsw;


import com.github.jelmerk.knn.*;
import com.github.jelmerk.knn.util.*;
import org.eclipse.collections.api.map.primitive.MutableObjectIntMap;
import org.eclipse.collections.api.map.primitive.MutableObjectLongMap;
import org.eclipse.collections.api.tuple.primitive.ObjectIntPair;
import org.eclipse.collections.api.tuple.primitive.ObjectLongPair;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectLongHashMap;

import java.io.*;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.*;

/**
 * Implementation of {@link Index} that implements the hnsw algorithm.
 *
 * @param <TId>       Type of the external identifier of an item
 * @param <TVector>   Type of the vector to perform distance calculation on
 * @param <TItem>     Type of items stored in the index
 * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ..)
 * @see <a href="https://arxiv.org/abs/1603.09320">
 * Efficient and robust approximate nearest neighbor search using Hierarchical Navigable Small World graphs</a>
 */
public class HnswIndex<TId, TVector, TItem extends Item<TId, TVector>, TDistance>
        implements Index<TId, TVector, TItem, TDistance> {

    private static final byte VERSION_1 = 0x01;

    private static final long serialVersionUID = 1L;

    private static final int NO_NODE_ID = -1;

    /** [lakehouse fork] a link block's count (slot 0) is written with release and read with acquire semantics */
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private DistanceFunction<TVector, TDistance> distanceFunction;
    private Comparator<TDistance> distanceComparator;
    private MaxValueComparator<TDistance> maxValueDistanceComparator;

    private int dimensions;
    private int maxItemCount;
    private int m;
    private int maxM;
    private int maxM0;
    private double levelLambda;
    private int ef;
    private int efConstruction;
    private boolean removeEnabled;

    private int nodeCount;

    private volatile Node<TItem> entryPoint;

    private AtomicReferenceArray<Node<TItem>> nodes;
    private MutableObjectIntMap<TId> lookup;
    private MutableObjectLongMap<TId> deletedItemVersions;
    private Map<TId, Object> locks;

    private ObjectSerializer<TId> itemIdSerializer;
    private ObjectSerializer<TItem> itemSerializer;

    private ReentrantLock globalLock;

    /** [lakehouse fork] the distance function's primitive form, when it has one (no boxing per distance) */
    private transient FloatDistanceFunction<TVector> floatDistance;

    /** [lakehouse fork] visited sets for searches: a lock-free pool, one set per concurrent search */
    private transient ConcurrentLinkedQueue<VisitedSet> visitedSets;

    /**
     * [lakehouse fork] Each node's vector by node id, beside {@code nodes}: a distance reads one array slot
     * instead of chasing node → item → vector (three dependent loads per neighbour; the C++ library keeps the
     * vector in the node's block). A slot may be null to a racing reader: it then takes the long way.
     */
    private transient volatile Object[] vectors;

    /**
     * [lakehouse fork] Whether any node was ever marked deleted (set before the first mark, never cleared): while
     * false an unfiltered walk skips the node lookup behind {@code deleted} for every candidate it keeps, a
     * dependent load into a Node object per candidate that the C++ library skips the same way
     * ({@code has_deletions}).
     */
    private transient volatile boolean anyDeleted;

    /**
     * [lakehouse fork] Each node's base-layer link block by node id (the same {@code int[]} as
     * {@code node.connections[0]}, never replaced): expanding a node on the base layer is one load from here
     * instead of node → connections → block, as the C++ library finds a node's links at a fixed offset of
     * {@code data_level0_memory_}. A slot may be null to a racing reader: it then takes the long way.
     */
    private transient volatile int[][] baseLinks;

    private ArrayBitSet excludedCandidates;

    private ExactView exactView;

    private HnswIndex(RefinedBuilder<TId, TVector, TItem, TDistance> builder) {

        this.dimensions = builder.dimensions;
        this.maxItemCount = builder.maxItemCount;
        this.distanceFunction = builder.distanceFunction;
        this.distanceComparator = builder.distanceComparator;
        this.maxValueDistanceComparator = new MaxValueComparator<>(this.distanceComparator);

        this.m = builder.m;
        this.maxM = builder.m;
        this.maxM0 = builder.m * 2;
        this.levelLambda = 1 / Math.log(this.m);
        this.efConstruction = Math.max(builder.efConstruction, m);
        this.ef = builder.ef;
        this.removeEnabled = builder.removeEnabled;

        this.nodes = new AtomicReferenceArray<>(this.maxItemCount);

        this.lookup = new ObjectIntHashMap<>();
        this.deletedItemVersions = new ObjectLongHashMap<>();
        this.locks = new HashMap<>();

        this.itemIdSerializer = builder.itemIdSerializer;
        this.itemSerializer = builder.itemSerializer;

        this.globalLock = new ReentrantLock();

        initTransients();

        this.excludedCandidates = new ArrayBitSet(this.maxItemCount);

        this.exactView = new ExactView();
    }

    @SuppressWarnings("unchecked")
    private void initTransients() {
        this.floatDistance = distanceFunction instanceof FloatDistanceFunction
                ? (FloatDistanceFunction<TVector>) distanceFunction : null;
        this.visitedSets = new ConcurrentLinkedQueue<>();
        // one pass over the nodes for the three per-node views a walk reads
        Object[] vs = new Object[maxItemCount];
        int[][] base = new int[maxItemCount][];
        boolean deleted = false;
        if (nodes != null) {
            for (int i = 0; i < nodes.length(); i++) {
                Node<TItem> node = nodes.get(i);
                if (node == null) {
                    continue;
                }
                if (i < maxItemCount) {
                    vs[i] = node.item.vector();
                    base[i] = node.connections[0];
                }
                deleted |= node.deleted;
            }
        }
        this.vectors = vs;
        this.baseLinks = base;
        this.anyDeleted = deleted;
    }

    /**
     * The vector of node {@code id}, or null for a node a racing reader cannot see yet (a link read without
     * a lock may name a node whose publication is not visible to this thread).
     */
    @SuppressWarnings("unchecked")
    private TVector vectorOf(int id) {
        Object[] vs = vectors;
        Object v = id < vs.length ? vs[id] : null;
        if (v != null) {
            return (TVector) v;
        }
        Node<TItem> node = id < nodes.length() ? nodes.get(id) : null;
        return node == null ? null : node.item.vector();
    }

    /**
     * [lakehouse fork] The links of {@code node} on {@code level}: a block {@code [count, ids...]} (see
     * {@link Node#connections}); read the count with {@link #linkCount}. Every reader goes through here and
     * reads without a lock, as the C++ library: a writer appends an id before it publishes the new count
     * (release), and a pruned list is rewritten in place, so a racing reader sees at worst a stale neighbour,
     * never a torn id.
     */
    private static int[] links(Node<?> node, int level) {
        return node.connections[level];
    }

    /** How many ids {@code block} holds (acquire: the ids up to it are visible), never beyond its capacity. */
    private static int linkCount(int[] block) {
        return Math.min((int) INTS.getAcquire(block, 0), block.length - 1);
    }

    /** Appends {@code id} to a block with room for it; the caller holds the node's monitor. */
    private static void appendLink(int[] block, int id) {
        int count = block[0];
        block[count + 1] = id;
        INTS.setRelease(block, 0, count + 1);
    }

    /**
     * [lakehouse fork] Every distance inside the index is a float: the primitive kernel when the distance
     * function has one, else its boxed distance as a float (hnswlib's distance functions all return Float or
     * Double, ordered naturally).
     */
    private float distance(TVector u, TVector v) {
        FloatDistanceFunction<TVector> f = floatDistance;
        return f != null ? f.floatDistance(u, v) : ((Number) distanceFunction.distance(u, v)).floatValue();
    }

    @SuppressWarnings("unchecked")
    private TDistance boxedDistance(float distance, TVector u, TVector v) {
        return floatDistance != null ? (TDistance) Float.valueOf(distance) : distanceFunction.distance(u, v);
    }

    /**
     * [lakehouse fork] Reads the first element of a vector (its first cache line, with the array header) so
     * that a later distance finds it in cache. Java has no prefetch instruction; a load whose value is kept
     * (summed into {@link VisitedSet#sink}) cannot be dropped by the JIT, and independent loads overlap.
     */
    private static float touch(Object v) {
        if (v instanceof float[]) {
            float[] f = (float[]) v;
            float t = 0f;
            for (int i = 0; i < f.length; i += 16) {
                t += f[i];
            }
            return t;
        }
        if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            int t = 0;
            for (int i = 0; i < b.length; i += 64) {
                t += b[i];
            }
            return t;
        }
        return 0f;
    }

    // [lakehouse fork] Why the unfiltered walk touches int8 codes only (ADR 0043, session 10; one JVM, modes
    // alternated, thread CPU time, ef 40): on 384-d floats skipping the touch was 1.10-1.26x faster than reading
    // all 24 lines of each neighbour and 1.03-1.08x faster than reading only the first (the hardware prefetcher
    // streams a vector's lines once the kernel starts); on 384-byte codes (6 lines) the touch is 1.2x faster.

    private VisitedSet borrowVisited() {
        VisitedSet set = visitedSets.poll();
        int capacity = nodes.length();
        if (set == null) {
            set = new VisitedSet(capacity);
        }
        set.reset(capacity);
        return set;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int size() {
        globalLock.lock();
        try {
            return lookup.size();
        } finally {
            globalLock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Optional<TItem> get(TId id) {
        globalLock.lock();
        try {
            int nodeId = lookup.getIfAbsent(id, NO_NODE_ID);

            if (nodeId == NO_NODE_ID) {
                return Optional.empty();
            } else {
                return Optional.of(nodes.get(nodeId).item);
            }
        } finally {
            globalLock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Collection<TItem> items() {
        globalLock.lock();
        try {
            List<TItem> results = new ArrayList<>(size());

            Iterator<TItem> iter = new ItemIterator();

            while(iter.hasNext()) {
                results.add(iter.next());
            }

            return results;
        } finally {
            globalLock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean remove(TId id, long version) {

        if (!removeEnabled) {
            return false;
        }

        globalLock.lock();

        try {
            int internalNodeId = lookup.getIfAbsent(id, NO_NODE_ID);

            if (internalNodeId == NO_NODE_ID) {
                return false;
            }

            Node<TItem> node = nodes.get(internalNodeId);

            if (version < node.item.version()) {
                return false;
            }

            anyDeleted = true; // before the mark: a walk that sees the mark also checks for it
            node.deleted = true;

            lookup.remove(id);

            deletedItemVersions.put(id, version);

            return true;
        } finally {
            globalLock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean add(TItem item) {
        if (item.dimensions() != dimensions) {
            throw new IllegalArgumentException("Item does not have dimensionality of : " + dimensions);
        }

        int randomLevel = assignLevel(item.id(), this.levelLambda);

        int[][] connections = new int[randomLevel + 1][];

        for (int level = 0; level <= randomLevel; level++) {
            connections[level] = new int[1 + (level == 0 ? maxM0 : maxM)];
        }

        globalLock.lock();

        try {
            int existingNodeId = lookup.getIfAbsent(item.id(), NO_NODE_ID);

            if (existingNodeId != NO_NODE_ID) {

                if (!removeEnabled) {
                    return false;
                }

                Node<TItem> node = nodes.get(existingNodeId);

                if (item.version() < node.item.version()) {
                    return false;
                }

                if (Objects.deepEquals(node.item.vector(), item.vector())) {
                    node.item = item;
                    return true;
                } else {
                    remove(item.id(), item.version());
                }

            } else if (item.version() < deletedItemVersions.getIfAbsent(item.id(), -1)) {
                return false;
            }

            if (nodeCount >= this.maxItemCount) {
                throw new SizeLimitExceededException("The number of elements exceeds the specified limit.");
            }

            int newNodeId = nodeCount++;

            synchronized (excludedCandidates) {
                excludedCandidates.add(newNodeId);
            }

            Node<TItem> newNode = new Node<>(newNodeId, connections, item, false);

            vectors[newNodeId] = item.vector(); // before the node is published
            baseLinks[newNodeId] = connections[0];
            nodes.set(newNodeId, newNode);
            lookup.put(item.id(), newNodeId);
            deletedItemVersions.remove(item.id());

            Object lock = locks.computeIfAbsent(item.id(), k -> new Object());

            Node<TItem> entryPointCopy = entryPoint;

            try {
                synchronized (lock) {
                    synchronized (newNode) {

                        if (entryPoint != null && randomLevel <= entryPoint.maxLevel()) {
                            globalLock.unlock();
                        }

                        Node<TItem> currObj = entryPointCopy;

                        if (currObj != null) {

                            if (newNode.maxLevel() < entryPointCopy.maxLevel()) {
                                currObj = descend(currObj, item.vector(), entryPointCopy.maxLevel(), newNode.maxLevel());
                            }

                            for (int level = Math.min(randomLevel, entryPointCopy.maxLevel()); level >= 0; level--) {
                                FloatHeap topCandidates =
                                        searchBaseLayer(currObj, item.vector(), efConstruction, level, null);

                                if (entryPointCopy.deleted) {
                                    float distance = distance(item.vector(), entryPointCopy.item.vector());
                                    topCandidates.push(entryPointCopy.id, distance);

                                    if (topCandidates.size() > efConstruction) {
                                        topCandidates.pop();
                                    }
                                }

                                // [lakehouse fork] as the C++ library, the next level's walk starts from the
                                // closest neighbour found on this one (1.1.2 restarted from the same node)
                                int closest = mutuallyConnectNewElement(newNode, topCandidates, level);
                                if (closest != NO_NODE_ID) {
                                    currObj = nodes.get(closest);
                                }

                            }
                        }

                        // zoom out to the highest level
                        if (entryPoint == null || newNode.maxLevel() > entryPointCopy.maxLevel()) {
                            // this is thread safe because we get the global lock when we add a level
                            this.entryPoint = newNode;
                        }

                        return true;
                    }
                }
            } finally {
                synchronized (excludedCandidates) {
                    excludedCandidates.remove(newNodeId);
                }
            }
        } finally {
            if (globalLock.isHeldByCurrentThread()) {
                globalLock.unlock();
            }
        }
    }

    /** Links the new node to its selected neighbours on {@code level}; returns the closest of them (or NO_NODE_ID). */
    private int mutuallyConnectNewElement(Node<TItem> newNode, FloatHeap topCandidates, int level) {

        int bestN = level == 0 ? this.maxM0 : this.maxM;

        int newNodeId = newNode.id;
        TVector newItemVector = newNode.item.vector();
        int[] newItemConnections = links(newNode, level);

        getNeighborsByHeuristic2(topCandidates, m);

        int closest = NO_NODE_ID;
        while (!topCandidates.isEmpty()) {
            int selectedNeighbourId = topCandidates.pop(); // farthest first: the last one is the closest

            synchronized (excludedCandidates) {
                if (excludedCandidates.contains(selectedNeighbourId)) {
                    continue;
                }
            }
            closest = selectedNeighbourId;

            appendLink(newItemConnections, selectedNeighbourId); // under newNode's monitor (add holds it)

            Node<TItem> neighbourNode = nodes.get(selectedNeighbourId);

            synchronized (neighbourNode) {

                TVector neighbourVector = neighbourNode.item.vector();

                int[] neighbourConnectionsAtLevel = links(neighbourNode, level);
                int count = linkCount(neighbourConnectionsAtLevel);

                if (count < bestN) {
                    appendLink(neighbourConnectionsAtLevel, newNodeId);
                } else {
                    // finding the "weakest" element to replace it with the new one
                    FloatHeap candidates = new FloatHeap(bestN + 1, true);
                    candidates.push(newNodeId, distance(newItemVector, neighbourVector));

                    for (int i = 1; i <= count; i++) {
                        int id = neighbourConnectionsAtLevel[i];
                        candidates.push(id, distance(neighbourVector, vectorOf(id)));
                    }

                    getNeighborsByHeuristic2(candidates, bestN);

                    // rewritten in place, as the C++ library: a racing reader sees old or new ids, all valid
                    int n = 0;
                    while (!candidates.isEmpty()) {
                        neighbourConnectionsAtLevel[++n] = candidates.pop();
                    }
                    INTS.setRelease(neighbourConnectionsAtLevel, 0, n);
                }
            }
        }
        return closest;
    }

    /**
     * Greedy descent from {@code from} on the levels {@code top} down to just above {@code bottom}: on each level
     * it moves to a closer neighbour until none is closer. Returns the node it ends on.
     */
    private Node<TItem> descend(Node<TItem> from, TVector vector, int top, int bottom) {
        Node<TItem> currObj = from;
        float curDist = distance(vector, currObj.item.vector());

        for (int activeLevel = top; activeLevel > bottom; activeLevel--) {

            boolean changed = true;

            while (changed) {
                changed = false;

                int[] candidateConnections = links(currObj, activeLevel);
                int count = linkCount(candidateConnections);

                for (int i = 1; i <= count; i++) {

                    int candidateId = candidateConnections[i];

                    TVector candidateVector = vectorOf(candidateId);
                    if (candidateVector == null) {
                        continue; // a node still being published (see links)
                    }

                    float candidateDistance = distance(vector, candidateVector);
                    if (candidateDistance < curDist) {
                        curDist = candidateDistance;
                        currObj = nodes.get(candidateId);
                        changed = true;
                    }
                }
            }
        }
        return currObj;
    }

    /** Keeps at most m of the (max-heap) candidates: a candidate closer to a kept one than to the query is dropped. */
    private void getNeighborsByHeuristic2(FloatHeap topCandidates, int m) {

        int n = topCandidates.size();
        if (n < m) {
            return;
        }

        // closest first
        int[] ids = new int[n];
        float[] distances = new float[n];
        for (int i = n - 1; i >= 0; i--) {
            distances[i] = topCandidates.topDistance();
            ids[i] = topCandidates.pop();
        }

        int[] kept = new int[m];
        float[] keptDistances = new float[m];
        int keptCount = 0;

        for (int i = 0; i < n && keptCount < m; i++) {
            TVector candidateVector = vectorOf(ids[i]);
            boolean good = true;
            for (int j = 0; j < keptCount; j++) {
                float curdist = distance(vectorOf(kept[j]), candidateVector);
                if (curdist < distances[i]) {
                    good = false;
                    break;
                }
            }
            if (good) {
                kept[keptCount] = ids[i];
                keptDistances[keptCount++] = distances[i];
            }
        }

        for (int j = 0; j < keptCount; j++) {
            topCandidates.push(kept[j], keptDistances[j]);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public List<SearchResult<TItem, TDistance>> findNearest(TVector destination, int k) {
        return findNearest(destination, k, null);
    }

    /**
     * The k nearest items among those {@code accept} takes, filtered inside the traversal (as the C++ hnswlib's
     * {@code BaseFilterFunctor}): rejected nodes are still expanded, so they keep the graph connected, but never
     * enter the result set, and the walk does not stop before it holds k accepted items (or runs out of nodes).
     * The predicate runs on the searching thread (no lock held): it must be cheap and thread-safe.
     * [lakehouse fork]
     *
     * @param accept which items may be returned; {@code null} accepts every item
     */
    public List<SearchResult<TItem, TDistance>> findNearest(TVector destination, int k, Predicate<? super TItem> accept) {
        return findNearest(destination, k, ef, accept);
    }

    /**
     * The k nearest items (among those {@code accept} takes) from a walk of breadth {@code max(ef, k)}: as
     * {@code setEf(ef)} then {@link #findNearest(Object, int, Predicate)}, without changing the index's ef
     * (concurrent searches may each have their own) and without building results beyond the k asked for.
     * [lakehouse fork]
     */
    public List<SearchResult<TItem, TDistance>> findNearest(TVector destination, int k, int ef,
                                                             Predicate<? super TItem> accept) {

        if (entryPoint == null) {
            return Collections.emptyList();
        }

        Node<TItem> entryPointCopy = entryPoint;

        Node<TItem> currObj = entryPointCopy;

        currObj = descend(currObj, destination, entryPointCopy.maxLevel(), 0);

        FloatHeap topCandidates = searchBaseLayer(currObj, destination, Math.max(ef, k), 0, accept);

        while (topCandidates.size() > k) {
            topCandidates.pop();
        }

        return results(topCandidates, destination);
    }

    /**
     * Changes the maximum capacity of the index.
     * @param newSize new size of the index
     */
    public void resize(int newSize) {
        globalLock.lock();
        try {
            this.maxItemCount = newSize;

            AtomicReferenceArray<Node<TItem>> newNodes = new AtomicReferenceArray<>(newSize);
            for(int i = 0; i < this.nodes.length(); i++) {
                newNodes.set(i, this.nodes.get(i));
            }
            this.nodes = newNodes;

            this.excludedCandidates = new ArrayBitSet(this.excludedCandidates, newSize);
            this.vectors = Arrays.copyOf(this.vectors, newSize);
            this.baseLinks = Arrays.copyOf(this.baseLinks, newSize);
        } finally {
            globalLock.unlock();
        }
    }

    /** The (at most) k closest accepted nodes on {@code layer} from {@code entryPointNode}, as a max-heap. */
    private FloatHeap searchBaseLayer(
            Node<TItem> entryPointNode, TVector destination, int k, int layer, Predicate<? super TItem> accept) {

        VisitedSet visited = borrowVisited();

        try {
            FloatHeap topCandidates = new FloatHeap(k + 1, true);
            // [lakehouse fork] the candidate queue is the visited set's: one per search thread, not one per walk
            FloatHeap candidateSet = visited.candidates();
            // [lakehouse fork] read once per walk (the field is volatile); a slot still empty is taken the long way
            Object[] vs = vectors;
            int[][] base = baseLinks;
            // [lakehouse fork] unfiltered and nothing ever deleted: no node lookup per kept candidate
            boolean checkNodes = accept != null || anyDeleted;

            float lowerBound;

            if (!entryPointNode.deleted && (accept == null || accept.test(entryPointNode.item))) {
                float distance = distance(destination, entryPointNode.item.vector());
                topCandidates.push(entryPointNode.id, distance);
                lowerBound = distance;
                candidateSet.push(entryPointNode.id, distance);
            } else {
                lowerBound = Float.POSITIVE_INFINITY;
                candidateSet.push(entryPointNode.id, lowerBound);
            }

            visited.visit(entryPointNode.id);

            while (!candidateSet.isEmpty()) {

                // with a filter, a closer-than-worst bound alone does not end the walk: accepted items may lie
                // beyond rejected ones, so it goes on until k accepted items are held [lakehouse fork]
                if (candidateSet.topDistance() > lowerBound && (accept == null || topCandidates.size() >= k)) {
                    break;
                }

                int current = candidateSet.pop();
                int[] candidates = layer == 0 && current < base.length ? base[current] : null;
                if (candidates == null) {
                    candidates = links(nodes.get(current), layer);
                }

                // [lakehouse fork] first the unvisited neighbours, each vector's cache lines loaded, then their
                // distances: the misses of all of them overlap (the C++ library prefetches the next one)
                int fresh = 0;
                float touched = 0;
                int count = linkCount(candidates);
                int[] ids = visited.scratch(count);
                Object[] freshVectors = visited.scratchVectors(count);
                for (int i = 1; i <= count; i++) {
                    int candidateId = candidates[i];
                    Object candidateVector = candidateId < vs.length ? vs[candidateId] : null;
                    if (candidateVector == null) {
                        candidateVector = vectorOf(candidateId);
                    }
                    if (candidateVector != null && visited.visit(candidateId)) {
                        freshVectors[fresh] = candidateVector;
                        ids[fresh++] = candidateId;
                        // int8 codes only: touching a float vector's 24 lines cost more than it hid (note at borrowVisited)
                        if (!(candidateVector instanceof float[])) {
                            touched += touch(candidateVector);
                        }
                    }
                }
                visited.sink += touched;

                for (int i = 0; i < fresh; i++) {

                    int candidateId = ids[i];

                    @SuppressWarnings("unchecked")
                    float candidateDistance = distance(destination, (TVector) freshVectors[i]);

                    if (topCandidates.size() < k || lowerBound > candidateDistance) {

                        candidateSet.push(candidateId, candidateDistance);

                        if (!checkNodes) {
                            topCandidates.push(candidateId, candidateDistance);
                        } else {
                            Node<TItem> candidateNode = nodes.get(candidateId);
                            if (!candidateNode.deleted && (accept == null || accept.test(candidateNode.item))) {
                                topCandidates.push(candidateId, candidateDistance);
                            }
                        }

                        if (topCandidates.size() > k) {
                            topCandidates.pop();
                        }

                        if (!topCandidates.isEmpty()) {
                            lowerBound = topCandidates.topDistance();
                        }
                    }
                }
            }

            return topCandidates;
        } finally {
            visitedSets.offer(visited);
        }
    }

    /**
     * [lakehouse fork] Filtered search by node id, ACORN-1 style (Patel et al., SIGMOD 2024; Lucene's filtered
     * HNSW search works the same way): a distance is computed only for nodes {@code acceptNode} takes. Expanding
     * a node on the base layer scores its accepted direct neighbours, then the accepted neighbours of its
     * rejected ones (two hops), up to {@code maxM0} per node, so the walk stays on the accepted subgraph with the
     * unfiltered heaps and stop rule, instead of paying a distance for every rejected node it passes through
     * ({@link #findNearest(Object, int, Predicate)} does, ~1/selectivity times the unfiltered work). The upper
     * levels' greedy descent is the unfiltered one and remembers the closest accepted node it met, which seeds
     * the base layer beside the descent's end (expanded even when rejected). Deleted nodes are never returned.
     * {@code acceptNode} is called with no lock held; it must be cheap (a bit test) and pure.
     *
     * @param k at least this many accepted nodes are looked for (the search breadth), the k closest returned
     */
    public List<SearchResult<TItem, TDistance>> findNearestAmong(TVector destination, int k, java.util.function.IntPredicate acceptNode) {

        Node<TItem> entryPointCopy = entryPoint;

        if (entryPointCopy == null) {
            return Collections.emptyList();
        }

        int[] hop1 = new int[maxM0];
        int[] hop2 = new int[maxM0];

        int curr = entryPointCopy.id;
        float curDist = distance(destination, vectorOf(curr));
        int bestAccepted = acceptNode.test(curr) ? curr : NO_NODE_ID;
        float bestAcceptedDist = bestAccepted == NO_NODE_ID ? Float.POSITIVE_INFINITY : curDist;

        for (int level = entryPointCopy.maxLevel(); level > 0; level--) {
            boolean changed = true;
            while (changed) {
                changed = false;
                int n = links(curr, level, hop1);
                for (int i = 0; i < n; i++) {
                    int c = hop1[i];
                    TVector v = vectorOf(c);
                    if (v == null) {
                        continue; // a node still being published
                    }
                    float d = distance(destination, v);
                    if (d < bestAcceptedDist && acceptNode.test(c)) {
                        bestAccepted = c;
                        bestAcceptedDist = d;
                    }
                    if (d < curDist) {
                        curDist = d;
                        curr = c;
                        changed = true;
                    }
                }
            }
        }

        VisitedSet visited = borrowVisited();
        try {
            FloatHeap top = new FloatHeap(k + 1, true);
            FloatHeap candidates = new FloatHeap(2 * k, false);
            float lowerBound = Float.POSITIVE_INFINITY;

            visited.visit(curr);
            candidates.push(curr, curDist); // expanded even if rejected: its two hops reach accepted nodes
            if (acceptNode.test(curr) && !nodes.get(curr).deleted) {
                top.push(curr, curDist);
                lowerBound = curDist;
            }
            if (bestAccepted != NO_NODE_ID && visited.visit(bestAccepted)) {
                candidates.push(bestAccepted, bestAcceptedDist);
                if (!nodes.get(bestAccepted).deleted) {
                    top.push(bestAccepted, bestAcceptedDist);
                    lowerBound = top.topDistance();
                }
            }

            // accepted neighbours listed per expansion, visited or not, closest links first: 1.5·maxM0 kept
            // recall@10 at 0.97 at 10-50 % on 50K MiniLM vectors with 1.0-1.6x an unfiltered walk's distances;
            // maxM0 fell to 0.95, and reading links in stored order needed 2·maxM0 and 1.3-2.3x (ADR 0036)
            int cap = maxM0 * 3 / 2;
            int[] toScore = new int[cap];
            while (!candidates.isEmpty()) {

                // the unfiltered rule over the accepted subgraph, but not before k accepted nodes are held
                if (candidates.topDistance() > lowerBound && top.size() >= k) {
                    break;
                }

                int n = links(candidates.pop(), 0, hop1);
                int listed = 0; // accepted neighbours in this node's list, visited or not: the list's cap
                int scored = 0;
                int rejected = 0; // the rejected direct neighbours, closest first, kept in hop1's front
                for (int i = 0; i < n; i++) {
                    int c = hop1[i];
                    if (acceptNode.test(c)) {
                        if (listed < cap) {
                            listed++;
                            if (visited.visit(c)) {
                                toScore[scored++] = c;
                            }
                        }
                    } else {
                        hop1[rejected++] = c;
                    }
                }
                int direct = listed;
                // a broad filter (most direct neighbours accepted): a shorter two-hop list (BROAD_SHARE)
                int hopCap = listed < BROAD_SHARE * n ? cap : n;
                for (int i = 0; i < rejected && listed < hopCap; ) {
                    // the link blocks of as many rejected neighbours as the list still needs (each brings about as
                    // many accepted as the node's own links did, plus one) are loaded first, so their misses overlap:
                    // touching every rejected block was slower (bench hybrid, item 13)
                    int end = Math.min(rejected, i + (direct == 0 ? LINK_BATCH : (hopCap - listed + direct - 1) / direct + 1));
                    int touched = 0;
                    for (int b = i; b < end; b++) {
                        touched += touchLinks(hop1[b]);
                    }
                    visited.sink += touched;
                    for (; i < end && listed < hopCap; i++) {
                        int n2 = links(hop1[i], 0, hop2);
                        for (int j = 0; j < n2 && listed < hopCap; j++) {
                            int c = hop2[j];
                            if (acceptNode.test(c)) {
                                listed++;
                                if (visited.visit(c)) {
                                    toScore[scored++] = c;
                                }
                            }
                        }
                    }
                }

                lowerBound = scoreListed(destination, k, toScore, scored, top, candidates, lowerBound, visited);
            }

            return results(top, destination);
        } finally {
            visitedSets.offer(visited);
        }
    }

    /**
     * [lakehouse fork] The ACORN walk's scoring of one expansion's listed nodes: their vectors loaded first (the
     * misses overlap, item 9), then a distance each, into the heaps; returns the new lower bound. A method of its
     * own, small enough for the JIT to inline the distance kernel into.
     */
    private float scoreListed(TVector destination, int k, int[] toScore, int scored, FloatHeap top, FloatHeap candidates,
                              float lowerBound, VisitedSet visited) {
        float touched = 0;
        for (int i = 0; i < scored; i++) {
            Object v = vectorOf(toScore[i]);
            if (v != null) {
                touched += touch(v);
            }
        }
        visited.sink += touched;
        for (int i = 0; i < scored; i++) {
            int c = toScore[i];
            TVector v = vectorOf(c);
            if (v == null) {
                continue; // a node still being published
            }
            float d = distance(destination, v);
            if (top.size() < k || d < lowerBound) {
                candidates.push(c, d);
                if (!nodes.get(c).deleted) {
                    top.push(c, d);
                    if (top.size() > k) {
                        top.pop();
                    }
                }
                if (!top.isEmpty()) {
                    lowerBound = top.topDistance();
                }
            }
        }
        return lowerBound;
    }

    /**
     * [lakehouse fork] Exact k-NN among the nodes set in {@code acceptNodes} (deleted ones skipped): one
     * distance per node, each vector read from the per-node-id array (one load, not node → item → vector).
     */
    public List<SearchResult<TItem, TDistance>> exactAmong(TVector destination, int k, BitSet acceptNodes) {
        FloatHeap top = new FloatHeap(k + 1, true);
        int limit = nodes.length();
        for (int id = acceptNodes.nextSetBit(0); id >= 0 && id < limit; id = acceptNodes.nextSetBit(id + 1)) {
            TVector v = vectorOf(id);
            if (v == null) {
                continue;
            }
            float d = distance(destination, v);
            if (top.size() < k || d < top.topDistance()) {
                Node<TItem> node = nodes.get(id);
                if (node == null || node.deleted) {
                    continue;
                }
                top.push(id, d);
                if (top.size() > k) {
                    top.pop();
                }
            }
        }
        return results(top, destination);
    }

    /** [lakehouse fork] Rejected neighbours whose link blocks are loaded at once when none of a node's links is accepted. */
    private static final int LINK_BATCH = 8;

    /**
     * [lakehouse fork] Loads node {@code id}'s level-0 link block (one value per cache line; node, level array
     * and block are three dependent misses), as {@link #touch} does a vector, for the ACORN walk's two hops.
     */
    private int touchLinks(int id) {
        Node<TItem> node = id < nodes.length() ? nodes.get(id) : null;
        if (node == null) {
            return 0;
        }
        int[] block = links(node, 0);
        int t = 0;
        for (int i = 0; i < block.length; i += 16) {
            t += block[i];
        }
        return t;
    }

    /** [lakehouse fork] The max-heap's nodes as results, closest first (it pops farthest first). */
    private List<SearchResult<TItem, TDistance>> results(FloatHeap top, TVector destination) {
        @SuppressWarnings("unchecked")
        SearchResult<TItem, TDistance>[] results = new SearchResult[top.size()];
        for (int i = results.length - 1; i >= 0; i--) {
            float distance = top.topDistance();
            TItem item = nodes.get(top.pop()).item;
            results[i] = new SearchResult<>(item, boxedDistance(distance, destination, item.vector()),
                    maxValueDistanceComparator);
        }
        return Arrays.asList(results);
    }

    /**
     * [lakehouse fork] A broad filter in the ACORN walk: once this share of an expanded node's links is accepted,
     * its two-hop list stops at as many accepted nodes as the node has links, not 1.5·maxM0. At 50 % the full
     * list read 5x an unfiltered walk's link lists for recall the walk did not need (bench hybrid: 0.43x -> 0.54x
     * unfiltered QPS, recall@10 0.969 -> 0.958; skipping the two hops altogether fell to 0.946; ADR 0036).
     */
    static final double BROAD_SHARE = 0.5;

    /**
     * [lakehouse fork] Copies node {@code id}'s links on {@code level} into {@code into} (at most its length:
     * a level holds at most maxM0 links), read without a lock like every walk (see {@link #links(Node, int)}).
     * Reversed: the insert path stores a selection farthest first (its heap pops so), and a capped walk wants
     * the closest. A node a racing reader cannot see yet has no links here.
     */
    private int links(int id, int level, int[] into) {
        Node<TItem> node = id < nodes.length() ? nodes.get(id) : null;
        if (node == null) {
            return 0;
        }
        int[] block = links(node, level);
        int n = Math.min(linkCount(block), into.length);
        for (int i = 0; i < n; i++) {
            into[i] = block[n - i];
        }
        return n;
    }

    /** [lakehouse fork] The node id of item {@code id}, or -1 if it is not in the index (for node-id filters). */
    public int nodeIdOf(TId id) {
        globalLock.lock();
        try {
            return lookup.getIfAbsent(id, NO_NODE_ID);
        } finally {
            globalLock.unlock();
        }
    }

    /**
     * Creates a read only view on top of this index that uses pairwise comparision when doing distance search. And as
     * such can be used as a baseline for assessing the precision of the index.
     * Searches will be really slow but give the correct result every time.
     *
     * @return read only view on top of this index that uses pairwise comparision when doing distance search
     */
    public Index<TId, TVector, TItem, TDistance> asExactIndex() {
        return exactView;
    }

    /**
     * Returns the dimensionality of the items stored in this index.
     *
     * @return the dimensionality of the items stored in this index
     */
    public int getDimensions() {
        return dimensions;
    }

    /**
     * Returns the number of bi-directional links created for every new element during construction.
     *
     * @return the number of bi-directional links created for every new element during construction
     */
    public int getM() {
        return m;
    }

    /**
     * The size of the dynamic list for the nearest neighbors (used during the search)
     *
     * @return The size of the dynamic list for the nearest neighbors
     */
    public int getEf() {
        return ef;
    }

    /**
     * Set the size of the dynamic list for the nearest neighbors (used during the search)
     *
     * @param ef The size of the dynamic list for the nearest neighbors
     */
    public void setEf(int ef) {
        this.ef = ef;
    }

    /**
     * Returns the parameter has the same meaning as ef, but controls the index time / index precision.
     *
     * @return the parameter has the same meaning as ef, but controls the index time / index precision
     */
    public int getEfConstruction() {
        return efConstruction;
    }

    /**
     * Returns the distance function.
     *
     * @return the distance function
     */
    public DistanceFunction<TVector, TDistance> getDistanceFunction() {
        return distanceFunction;
    }


    /**
     * Returns the comparator used to compare distances.
     *
     * @return the comparator used to compare distance
     */
    public Comparator<TDistance> getDistanceComparator() {
        return distanceComparator;
    }

    /**
     * Returns if removes are enabled.
     *
     * @return true if removes are enabled for this index.
     */
    public boolean isRemoveEnabled() {
        return removeEnabled;
    }

    /**
     * Returns the maximum number of items the index can hold.
     *
     * @return the maximum number of items the index can hold
     */
    public int getMaxItemCount() {
        return maxItemCount;
    }

    /**
     * Returns the serializer used to serialize item id's when saving the index.
     *
     * @return the serializer used to serialize item id's when saving the index
     */
    public ObjectSerializer<TId> getItemIdSerializer() {
        return itemIdSerializer;
    }

    /**
     * Returns the serializer used to serialize items when saving the index.
     *
     * @return the serializer used to serialize items when saving the index
     */
    public ObjectSerializer<TItem> getItemSerializer() {
        return itemSerializer;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void save(OutputStream out) throws IOException {
        try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
            oos.writeObject(this);
        }
    }

    private void writeObject(ObjectOutputStream oos) throws IOException {
        oos.writeByte(VERSION_1);
        oos.writeInt(dimensions);
        oos.writeObject(distanceFunction);
        oos.writeObject(distanceComparator);
        oos.writeObject(itemIdSerializer);
        oos.writeObject(itemSerializer);
        oos.writeInt(maxItemCount);
        oos.writeInt(m);
        oos.writeInt(maxM);
        oos.writeInt(maxM0);
        oos.writeDouble(levelLambda);
        oos.writeInt(ef);
        oos.writeInt(efConstruction);
        oos.writeBoolean(removeEnabled);
        oos.writeInt(nodeCount);
        writeMutableObjectIntMap(oos, lookup);
        writeMutableObjectLongMap(oos, deletedItemVersions);
        writeNodesArray(oos, nodes);
        oos.writeInt(entryPoint == null ? -1 : entryPoint.id);
    }

    @SuppressWarnings("unchecked")
    private void readObject(ObjectInputStream ois) throws IOException, ClassNotFoundException {
        @SuppressWarnings("unused") byte version = ois.readByte(); // for coping with future incompatible serialization
        this.dimensions = ois.readInt();
        this.distanceFunction = (DistanceFunction<TVector, TDistance>) ois.readObject();
        this.distanceComparator = (Comparator<TDistance>) ois.readObject();
        this.maxValueDistanceComparator = new MaxValueComparator<>(distanceComparator);
        this.itemIdSerializer = (ObjectSerializer<TId>) ois.readObject();
        this.itemSerializer = (ObjectSerializer<TItem>) ois.readObject();

        this.maxItemCount = ois.readInt();
        this.m = ois.readInt();
        this.maxM = ois.readInt();
        this.maxM0 = ois.readInt();
        this.levelLambda = ois.readDouble();
        this.ef = ois.readInt();
        this.efConstruction = ois.readInt();
        this.removeEnabled = ois.readBoolean();
        this.nodeCount = ois.readInt();
        this.lookup = readMutableObjectIntMap(ois, itemIdSerializer);
        this.deletedItemVersions = readMutableObjectLongMap(ois, itemIdSerializer);
        this.nodes = readNodesArray(ois, itemSerializer, maxM0, maxM);

        int entrypointNodeId = ois.readInt();
        this.entryPoint = entrypointNodeId == -1 ? null : nodes.get(entrypointNodeId);

        this.globalLock = new ReentrantLock();
        initTransients();
        this.excludedCandidates = new ArrayBitSet(this.maxItemCount);
        this.locks = new HashMap<>();
        this.exactView = new ExactView();
    }

    private void writeMutableObjectIntMap(ObjectOutputStream oos, MutableObjectIntMap<TId> map) throws IOException {
        oos.writeInt(map.size());

        for (ObjectIntPair<TId> pair : map.keyValuesView()) {
            itemIdSerializer.write(pair.getOne(), oos);
            oos.writeInt(pair.getTwo());
        }
    }

    private void writeMutableObjectLongMap(ObjectOutputStream oos, MutableObjectLongMap<TId> map) throws IOException {
        oos.writeInt(map.size());

        for (ObjectLongPair<TId> pair : map.keyValuesView()) {
            itemIdSerializer.write(pair.getOne(), oos);
            oos.writeLong(pair.getTwo());
        }
    }

    private void writeNodesArray(ObjectOutputStream oos, AtomicReferenceArray<Node<TItem>> nodes) throws IOException {
        oos.writeInt(nodes.length());
        for (int i = 0; i < nodes.length(); i++) {
            writeNode(oos, nodes.get(i));
        }
    }

    private void writeNode(ObjectOutputStream oos, Node<TItem> node) throws IOException {
        if (node == null) {
            oos.writeInt(-1);
        } else {
            oos.writeInt(node.id);
            oos.writeInt(node.connections.length);

            for (int[] connections : node.connections) { // [lakehouse fork] same stream as 1.1.2's lists
                int count = linkCount(connections);
                oos.writeInt(count);
                for (int j = 1; j <= count; j++) {
                    oos.writeInt(connections[j]);
                }
            }
            itemSerializer.write(node.item, oos);
            oos.writeBoolean(node.deleted);
        }
    }

    /**
     * Restores a {@link HnswIndex} from a File.
     *
     * @param file        File to restore the index from
     * @param <TId>       Type of the external identifier of an item
     * @param <TVector>   Type of the vector to perform distance calculation on
     * @param <TItem>     Type of items stored in the index
     * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ..)
     * @return The restored index
     * @throws IOException in case of an I/O exception
     */
    public static <TId, TVector, TItem extends Item<TId, TVector>, TDistance> HnswIndex<TId, TVector, TItem, TDistance> load(File file)
            throws IOException {
        return load(new FileInputStream(file));
    }

    /**
     * Restores a {@link HnswIndex} from a File.
     *
     * @param file        File to restore the index from
     * @param classLoader the classloader to use
     * @param <TId>       Type of the external identifier of an item
     * @param <TVector>   Type of the vector to perform distance calculation on
     * @param <TItem>     Type of items stored in the index
     * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ..)
     * @return The restored index
     * @throws IOException in case of an I/O exception
     */
    public static <TId, TVector, TItem extends Item<TId, TVector>, TDistance> HnswIndex<TId, TVector, TItem, TDistance> load(File file, ClassLoader classLoader)
            throws IOException {
        return load(new FileInputStream(file), classLoader);
    }

    /**
     * Restores a {@link HnswIndex} from a Path.
     *
     * @param path        Path to restore the index from
     * @param <TId>       Type of the external identifier of an item
     * @param <TVector>   Type of the vector to perform distance calculation on
     * @param <TItem>     Type of items stored in the index
     * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ..)
     * @return The restored index
     * @throws IOException in case of an I/O exception
     */
    public static <TId, TVector, TItem extends Item<TId, TVector>, TDistance> HnswIndex<TId, TVector, TItem, TDistance> load(Path path)
            throws IOException {
        return load(Files.newInputStream(path));
    }

    /**
     * Restores a {@link HnswIndex} from a Path.
     *
     * @param path        Path to restore the index from
     * @param classLoader the classloader to use
     * @param <TId>       Type of the external identifier of an item
     * @param <TVector>   Type of the vector to perform distance calculation on
     * @param <TItem>     Type of items stored in the index
     * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ..)
     *
     * @return The restored index
     * @throws IOException in case of an I/O exception
     */
    public static <TId, TVector, TItem extends Item<TId, TVector>, TDistance> HnswIndex<TId, TVector, TItem, TDistance> load(Path path, ClassLoader classLoader)
            throws IOException {
        return load(Files.newInputStream(path), classLoader);
    }

    /**
     * Restores a {@link HnswIndex} from an InputStream.
     *
     * @param inputStream InputStream to restore the index from
     * @param <TId>       Type of the external identifier of an item
     * @param <TVector>   Type of the vector to perform distance calculation on
     * @param <TItem>     Type of items stored in the index
     * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ...).
     * @return The restored index
     * @throws IOException              in case of an I/O exception
     * @throws IllegalArgumentException in case the file cannot be read
     */
    public static <TId, TVector, TItem extends Item<TId, TVector>, TDistance> HnswIndex<TId, TVector, TItem, TDistance> load(InputStream inputStream)
            throws IOException {
        return load(inputStream, Thread.currentThread().getContextClassLoader());
    }

    /**
     * Restores a {@link HnswIndex} from an InputStream.
     *
     * @param inputStream InputStream to restore the index from
     * @param classLoader the classloader to use
     * @param <TId>       Type of the external identifier of an item
     * @param <TVector>   Type of the vector to perform distance calculation on
     * @param <TItem>     Type of items stored in the index
     * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ...).
     * @return The restored index
     * @throws IOException              in case of an I/O exception
     * @throws IllegalArgumentException in case the file cannot be read
     */
    @SuppressWarnings("unchecked")
    public static <TId, TVector, TItem extends Item<TId, TVector>, TDistance> HnswIndex<TId, TVector, TItem, TDistance> load(InputStream inputStream, ClassLoader classLoader)
            throws IOException {

        try(ObjectInputStream ois = new ClassLoaderObjectInputStream(classLoader, inputStream)) {
            return (HnswIndex<TId, TVector, TItem, TDistance>) ois.readObject();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("Could not read input file.", e);
        }
    }

    /** [lakehouse fork] one level's links as written by 1.1.2 (count, ids) into a block of {@code capacity}. */
    private static int[] readLinks(ObjectInputStream ois, int capacity) throws IOException {
        int size = ois.readInt();
        if (size < 0) {
            throw new InvalidObjectException("negative link count " + size);
        }

        int[] block = new int[1 + Math.max(capacity, size)];
        block[0] = size;

        for (int j = 1; j <= size; j++) {
            block[j] = ois.readInt();
        }

        return block;
    }

    private static <TItem> Node<TItem> readNode(ObjectInputStream ois,
                                                ObjectSerializer<TItem> itemSerializer,
                                                int maxM0,
                                                int maxM) throws IOException, ClassNotFoundException {

        int id = ois.readInt();

        if (id == -1) {
            return null;
        } else {
            int connectionsSize = ois.readInt();

            int[][] connections = new int[connectionsSize][];

            for (int i = 0; i < connectionsSize; i++) {
                int levelM = i == 0 ? maxM0 : maxM;
                connections[i] = readLinks(ois, levelM);
            }

            TItem item = itemSerializer.read(ois);

            boolean deleted = ois.readBoolean();

            return new Node<>(id, connections, item, deleted);
        }
    }

    private static <TItem> AtomicReferenceArray<Node<TItem>> readNodesArray(ObjectInputStream ois,
                                                                            ObjectSerializer<TItem> itemSerializer,
                                                                            int maxM0,
                                                                            int maxM)
            throws IOException, ClassNotFoundException {

        int size = ois.readInt();
        AtomicReferenceArray<Node<TItem>> nodes = new AtomicReferenceArray<>(size);

        for (int i = 0; i < nodes.length(); i++) {
            nodes.set(i, readNode(ois, itemSerializer, maxM0, maxM));
        }

        return nodes;
    }

    private static <TId> MutableObjectIntMap<TId> readMutableObjectIntMap(ObjectInputStream ois,
                                                                          ObjectSerializer<TId> itemIdSerializer)
            throws IOException, ClassNotFoundException {

        int size = ois.readInt();

        MutableObjectIntMap<TId> map = new ObjectIntHashMap<>(size);

        for (int i = 0; i < size; i++) {
            TId key = itemIdSerializer.read(ois);
            int value = ois.readInt();

            map.put(key, value);
        }
        return map;
    }

    private static <TId> MutableObjectLongMap<TId> readMutableObjectLongMap(ObjectInputStream ois,
                                                                            ObjectSerializer<TId> itemIdSerializer)
            throws IOException, ClassNotFoundException {

        int size = ois.readInt();

        MutableObjectLongMap<TId> map = new ObjectLongHashMap<>(size);

        for (int i = 0; i < size; i++) {
            TId key = itemIdSerializer.read(ois);
            long value = ois.readLong();

            map.put(key, value);
        }
        return map;
    }

    /**
     * Start the process of building a new HNSW index.
     *
     * @param dimensions the dimensionality of the vectors stored in the index
     * @param distanceFunction the distance function
     * @param maxItemCount maximum number of items the index can hold
     * @param <TVector> Type of the vector to perform distance calculation on
     * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ..)
     * @return a builder
     */
    public static <TVector, TDistance extends Comparable<TDistance>> Builder<TVector, TDistance> newBuilder(
            int dimensions,
            DistanceFunction<TVector, TDistance> distanceFunction,
            int maxItemCount) {

        Comparator<TDistance> distanceComparator = Comparator.naturalOrder();

        return new Builder<>(dimensions, distanceFunction, distanceComparator, maxItemCount);
    }

    /**
     * Start the process of building a new HNSW index.
     *
     * @param dimensions the dimensionality of the vectors stored in the index
     * @param distanceFunction the distance function
     * @param distanceComparator used to compare distances
     * @param maxItemCount maximum number of items the index can hold
     * @param <TVector> Type of the vector to perform distance calculation on
     * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ..)
     * @return a builder
     */
    public static <TVector, TDistance> Builder<TVector, TDistance> newBuilder(
            int dimensions,
            DistanceFunction<TVector, TDistance> distanceFunction,
            Comparator<TDistance> distanceComparator,
            int maxItemCount) {

        return new Builder<>(dimensions, distanceFunction, distanceComparator, maxItemCount);
    }

    private int assignLevel(TId value, double lambda) {

        // by relying on the external id to come up with the level, the graph construction should be a lot mor stable
        // see : https://github.com/nmslib/hnswlib/issues/28

        int hashCode = value.hashCode();

        byte[] bytes = new byte[]{
                (byte) (hashCode >> 24),
                (byte) (hashCode >> 16),
                (byte) (hashCode >> 8),
                (byte) hashCode
        };

        double random = Math.abs((double) Murmur3.hash32(bytes) / (double) Integer.MAX_VALUE);

        double r = -Math.log(random) * lambda;
        return (int) r;
    }

    class ExactView implements Index<TId, TVector, TItem, TDistance> {

        private static final long serialVersionUID = 1L;

        @Override
        public int size() {
            return HnswIndex.this.size();
        }

        @Override
        public Optional<TItem> get(TId tId) {
            return HnswIndex.this.get(tId);
        }


        @Override
        public Collection<TItem> items() {
            return HnswIndex.this.items();
        }

        @Override
        public List<SearchResult<TItem, TDistance>> findNearest(TVector vector, int k) {

            Comparator<SearchResult<TItem, TDistance>> comparator = Comparator
                    .<SearchResult<TItem, TDistance>>naturalOrder()
                    .reversed();

            PriorityQueue<SearchResult<TItem, TDistance>> queue = new PriorityQueue<>(k, comparator);

            for (int i = 0; i < nodeCount; i++) {
                Node<TItem> node = nodes.get(i);
                if (node == null || node.deleted) {
                    continue;
                }

                TDistance distance = distanceFunction.distance(node.item.vector(), vector);

                SearchResult<TItem, TDistance> searchResult = new SearchResult<>(node.item, distance, maxValueDistanceComparator);
                queue.add(searchResult);

                if (queue.size() > k) {
                    queue.poll();
                }
            }

            List<SearchResult<TItem, TDistance>> results = new ArrayList<>(queue.size());

            SearchResult<TItem, TDistance> result;
            while ((result = queue.poll()) != null) { // if you iterate over a priority queue the order is not guaranteed
                results.add(0, result);
            }

            return results;
        }

        @Override
        public boolean add(TItem item) {
            return HnswIndex.this.add(item);
        }

        @Override
        public boolean remove(TId id, long version) {
            return HnswIndex.this.remove(id, version);
        }

        @Override
        public void save(OutputStream out) throws IOException {
            HnswIndex.this.save(out);
        }

        @Override
        public void save(File file) throws IOException {
            HnswIndex.this.save(file);
        }

        @Override
        public void save(Path path) throws IOException {
            HnswIndex.this.save(path);
        }

        @Override
        public void addAll(Collection<TItem> items) throws InterruptedException {
            HnswIndex.this.addAll(items);
        }

        @Override
        public void addAll(Collection<TItem> items, ProgressListener listener) throws InterruptedException {
            HnswIndex.this.addAll(items, listener);
        }

        @Override
        public void addAll(Collection<TItem> items, int numThreads, ProgressListener listener, int progressUpdateInterval) throws InterruptedException {
            HnswIndex.this.addAll(items, numThreads, listener, progressUpdateInterval);
        }
    }

    class ItemIterator implements Iterator<TItem> {

        private int done = 0;
        private int index = 0;

        @Override
        public boolean hasNext() {
            return done < HnswIndex.this.size();
        }

        @Override
        public TItem next() {
            Node<TItem> node;

            do {
                node = HnswIndex.this.nodes.get(index++);
            } while(node == null || node.deleted);

            done++;

            return node.item;
        }
    }

    static class Node<TItem> implements Serializable {

        private static final long serialVersionUID = 1L;

        final int id;

        /**
         * [lakehouse fork] per level a flat block: {@code [count, id1 .. idCount, unused]}, of fixed capacity
         * (maxM0 on level 0, maxM above), as the C++ library's link lists. Read through {@code links} /
         * {@code linkCount} without a lock; written under this node's monitor.
         */
        final int[][] connections;

        volatile TItem item;

        volatile boolean deleted;

        Node(int id, int[][] connections, TItem item, boolean deleted) {
            this.id = id;
            this.connections = connections;
            this.item = item;
            this.deleted = deleted;
        }

        int maxLevel() {
            return this.connections.length - 1;
        }
    }

    static class MaxValueComparator<TDistance> implements Comparator<TDistance>, Serializable  {

        private static final long serialVersionUID = 1L;

        private final Comparator<TDistance> delegate;

        MaxValueComparator(Comparator<TDistance> delegate) {
            this.delegate = delegate;
        }

        @Override
        public int compare(TDistance o1, TDistance o2) {
            return o1 == null ? o2 == null ? 0 : 1
                    : o2 == null ? -1 : delegate.compare(o1, o2);
        }

        static <TDistance> TDistance maxValue() {
            return null;
        }
    }

    /**
     * Base class for HNSW index builders.
     *
     * @param <TBuilder> Concrete class that extends from this builder
     * @param <TVector> Type of the vector to perform distance calculation on
     * @param <TDistance> Type of items stored in the index
     */
    public static abstract class BuilderBase<TBuilder extends BuilderBase<TBuilder, TVector, TDistance>, TVector, TDistance> {

        public static final int DEFAULT_M = 10;
        public static final int DEFAULT_EF = 10;
        public static final int DEFAULT_EF_CONSTRUCTION = 200;
        public static final boolean DEFAULT_REMOVE_ENABLED = false;

        int dimensions;
        DistanceFunction<TVector, TDistance> distanceFunction;
        Comparator<TDistance> distanceComparator;

        int maxItemCount;

        int m = DEFAULT_M;
        int ef = DEFAULT_EF;
        int efConstruction = DEFAULT_EF_CONSTRUCTION;
        boolean removeEnabled = DEFAULT_REMOVE_ENABLED;

        BuilderBase(int dimensions,
                    DistanceFunction<TVector, TDistance> distanceFunction,
                    Comparator<TDistance> distanceComparator,
                    int maxItemCount) {

            this.dimensions = dimensions;
            this.distanceFunction = distanceFunction;
            this.distanceComparator = distanceComparator;
            this.maxItemCount = maxItemCount;
        }

        abstract TBuilder self();

        /**
         * Sets the number of bi-directional links created for every new element during construction. Reasonable range
         * for m is 2-100. Higher m work better on datasets with high intrinsic dimensionality and/or high recall,
         * while low m work better for datasets with low intrinsic dimensionality and/or low recalls. The parameter
         * also determines the algorithm's memory consumption.
         * As an example for d = 4 random vectors optimal m for search is somewhere around 6, while for high dimensional
         * datasets (word embeddings, good face descriptors), higher M are required (e.g. m = 48, 64) for optimal
         * performance at high recall. The range mM = 12-48 is ok for the most of the use cases. When m is changed one
         * has to update the other parameters. Nonetheless, ef and efConstruction parameters can be roughly estimated by
         * assuming that m  efConstruction is a constant.
         *
         * @param m the number of bi-directional links created for every new element during construction
         * @return the builder.
         */
        public TBuilder withM(int m) {
            this.m = m;
            return self();
        }

        /**
         * `
         * The parameter has the same meaning as ef, but controls the index time / index precision. Bigger efConstruction
         * leads to longer construction, but better index quality. At some point, increasing efConstruction does not
         * improve the quality of the index. One way to check if the selection of ef_construction was ok is to measure
         * a recall for M nearest neighbor search when ef = efConstruction: if the recall is lower than 0.9, then
         * there is room for improvement.
         *
         * @param efConstruction controls the index time / index precision
         * @return the builder
         */
        public TBuilder withEfConstruction(int efConstruction) {
            this.efConstruction = efConstruction;
            return self();
        }

        /**
         * The size of the dynamic list for the nearest neighbors (used during the search). Higher ef leads to more
         * accurate but slower search. The value ef of can be anything between k and the size of the dataset.
         *
         * @param ef size of the dynamic list for the nearest neighbors
         * @return the builder
         */
        public TBuilder withEf(int ef) {
            this.ef = ef;
            return self();
        }

        /**
         * Call to enable support for the experimental remove operation. Indices that support removes will consume more
         * memory.
         *
         * @return the builder
         */
        public TBuilder withRemoveEnabled() {
            this.removeEnabled = true;
            return self();
        }
    }


    /**
     * Builder for initializing an {@link HnswIndex} instance.
     *
     * @param <TVector>   Type of the vector to perform distance calculation on
     * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ..)
     */
    public static class Builder<TVector, TDistance> extends BuilderBase<Builder<TVector, TDistance>, TVector, TDistance> {

        /**
         * Constructs a new {@link Builder} instance.
         *
         * @param dimensions the dimensionality of the vectors stored in the index
         * @param distanceFunction the distance function
         * @param maxItemCount     the maximum number of elements in the index
         */
        Builder(int dimensions,
                DistanceFunction<TVector, TDistance> distanceFunction,
                Comparator<TDistance> distanceComparator,
                int maxItemCount) {

            super(dimensions, distanceFunction, distanceComparator, maxItemCount);
        }

        @Override
        Builder<TVector, TDistance> self() {
            return this;
        }

        /**
         * Register the serializers used when saving the index.
         *
         * @param itemIdSerializer serializes the key of the item
         * @param itemSerializer   serializes the
         * @param <TId>            Type of the external identifier of an item
         * @param <TItem>          implementation of the Item interface
         * @return the builder
         */
        public <TId, TItem extends Item<TId, TVector>> RefinedBuilder<TId, TVector, TItem, TDistance> withCustomSerializers(ObjectSerializer<TId> itemIdSerializer, ObjectSerializer<TItem> itemSerializer) {
            return new RefinedBuilder<>(dimensions, distanceFunction, distanceComparator, maxItemCount, m, ef, efConstruction,
                    removeEnabled, itemIdSerializer, itemSerializer);
        }

        /**
         * Build the index that uses java object serializers to store the items when reading and writing the index.
         *
         * @param <TId>   Type of the external identifier of an item
         * @param <TItem> implementation of the Item interface
         * @return the hnsw index instance
         */
        public <TId, TItem extends Item<TId, TVector>> HnswIndex<TId, TVector, TItem, TDistance> build() {
            ObjectSerializer<TId> itemIdSerializer = new JavaObjectSerializer<>();
            ObjectSerializer<TItem> itemSerializer = new JavaObjectSerializer<>();

            return withCustomSerializers(itemIdSerializer, itemSerializer)
                    .build();
        }

    }

    /**
     * Extension of {@link Builder} that has knows what type of item is going to be stored in the index.
     *
     * @param <TId> Type of the external identifier of an item
     * @param <TVector> Type of the vector to perform distance calculation on
     * @param <TItem> Type of items stored in the index
     * @param <TDistance> Type of distance between items (expect any numeric type: float, double, int, ..)
     */
    public static class RefinedBuilder<TId, TVector, TItem extends Item<TId, TVector>, TDistance>
            extends BuilderBase<RefinedBuilder<TId, TVector, TItem, TDistance>, TVector, TDistance> {

        private ObjectSerializer<TId> itemIdSerializer;
        private ObjectSerializer<TItem> itemSerializer;

        RefinedBuilder(int dimensions,
                       DistanceFunction<TVector, TDistance> distanceFunction,
                       Comparator<TDistance> distanceComparator,
                       int maxItemCount,
                       int m,
                       int ef,
                       int efConstruction,
                       boolean removeEnabled,
                       ObjectSerializer<TId> itemIdSerializer,
                       ObjectSerializer<TItem> itemSerializer) {

            super(dimensions, distanceFunction, distanceComparator, maxItemCount);

            this.m = m;
            this.ef = ef;
            this.efConstruction = efConstruction;
            this.removeEnabled = removeEnabled;

            this.itemIdSerializer = itemIdSerializer;
            this.itemSerializer = itemSerializer;
        }

        @Override
        RefinedBuilder<TId, TVector, TItem, TDistance> self() {
            return this;
        }

        /**
         * Register the serializers used when saving the index.
         *
         * @param itemIdSerializer serializes the key of the item
         * @param itemSerializer   serializes the
         * @return the builder
         */
        public RefinedBuilder<TId, TVector, TItem, TDistance> withCustomSerializers(
                ObjectSerializer<TId> itemIdSerializer, ObjectSerializer<TItem> itemSerializer) {

            this.itemIdSerializer = itemIdSerializer;
            this.itemSerializer = itemSerializer;

            return this;
        }

        /**
         * Build the index.
         *
         * @return the hnsw index instance
         */
        public HnswIndex<TId, TVector, TItem, TDistance> build() {
            return new HnswIndex<>(this);
        }

    }

}
