package com.github.jelmerk.knn.util;

import java.util.Arrays;

/**
 * Which nodes one search has visited [lakehouse fork], as the C++ hnswlib's VisitedList: a 16-bit mark per node
 * holding the stamp of the search that visited it, so starting a search is a stamp increment, not a clear, and
 * the marks of 50K nodes (100 KB) stay in L2 beside the vectors (int marks took twice that). Also the per-search
 * scratch of the thread holding it (the candidate queue, one node's fresh neighbours), so a walk allocates no
 * buffers but its result heap.
 */
public final class VisitedSet {

    private char[] marks;
    private char stamp;
    private int[] scratch = new int[64];
    private Object[] scratchVectors = new Object[64];
    private final FloatHeap candidates = new FloatHeap(64, false);

    /** Where a search leaves the values it loaded only to bring vectors into cache (kept so the JIT keeps the loads). */
    public float sink;

    public VisitedSet(int capacity) {
        this.marks = new char[capacity];
    }

    /** Starts a new search over at least {@code capacity} nodes. */
    public void reset(int capacity) {
        if (marks.length < capacity) {
            marks = new char[capacity];
            stamp = 0;
        }
        if (++stamp == 0) { // wrapped (every 65,535 searches): old marks could collide
            Arrays.fill(marks, (char) 0);
            stamp = 1;
        }
    }

    /** A buffer of at least {@code n} ids for the search holding this set (one node's unvisited neighbours). */
    public int[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new int[Math.max(n, 2 * scratch.length)];
        }
        return scratch;
    }

    /** A buffer of at least {@code n} vectors beside {@link #scratch} (the same neighbours' vectors). */
    public Object[] scratchVectors(int n) {
        if (scratchVectors.length < n) {
            scratchVectors = new Object[Math.max(n, 2 * scratchVectors.length)];
        }
        return scratchVectors;
    }

    /** The search's candidate queue (a min-heap), emptied; it grows as needed. */
    public FloatHeap candidates() {
        candidates.clear();
        return candidates;
    }

    /** Marks {@code id}; true if it was not visited yet in this search. */
    public boolean visit(int id) {
        if (marks[id] == stamp) {
            return false;
        }
        marks[id] = stamp;
        return true;
    }
}
