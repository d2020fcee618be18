package com.github.jelmerk.knn.util;

import java.util.Arrays;

/**
 * Which nodes one search has visited [lakehouse fork], as the C++ hnswlib's VisitedList: a mark per node
 * holding the stamp of the search that visited it, so starting a search is a stamp increment, not a clear.
 */
public final class VisitedSet {

    private int[] marks;
    private int stamp;
    private int[] scratch = new int[64];

    /** Where a search leaves the values it loaded only to bring vectors into cache (kept so the JIT keeps the loads). */
    public float sink;

    public VisitedSet(int capacity) {
        this.marks = new int[capacity];
    }

    /** Starts a new search over at least {@code capacity} nodes. */
    public void reset(int capacity) {
        if (marks.length < capacity) {
            marks = new int[capacity];
            stamp = 0;
        }
        if (++stamp == 0) { // wrapped: old marks could collide
            Arrays.fill(marks, 0);
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

    /** Marks {@code id}; true if it was not visited yet in this search. */
    public boolean visit(int id) {
        if (marks[id] == stamp) {
            return false;
        }
        marks[id] = stamp;
        return true;
    }
}
