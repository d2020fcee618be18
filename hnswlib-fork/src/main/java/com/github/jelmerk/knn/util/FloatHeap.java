package com.github.jelmerk.knn.util;

import java.util.Arrays;

/**
 * A binary heap of (node id, float distance) in two parallel primitive arrays [lakehouse fork]: HNSW's
 * candidate and result queues without an object per entry. A max-heap keeps the farthest on top (results),
 * a min-heap the closest (candidates).
 */
public final class FloatHeap {

    private final boolean max;
    private float[] distances;
    private int[] ids;
    private int size;

    public FloatHeap(int capacity, boolean max) {
        this.max = max;
        this.distances = new float[Math.max(4, capacity)];
        this.ids = new int[Math.max(4, capacity)];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        size = 0;
    }

    public float topDistance() {
        return distances[0];
    }

    public int topId() {
        return ids[0];
    }

    public float distanceAt(int i) {
        return distances[i];
    }

    public int idAt(int i) {
        return ids[i];
    }

    private boolean above(float a, float b) {
        return max ? a > b : a < b;
    }

    public void push(int id, float distance) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            distances = Arrays.copyOf(distances, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!above(distance, distances[parent])) {
                break;
            }
            ids[i] = ids[parent];
            distances[i] = distances[parent];
            i = parent;
        }
        ids[i] = id;
        distances[i] = distance;
    }

    /** Removes the top entry and returns its id. */
    public int pop() {
        int top = ids[0];
        int last = --size;
        if (last > 0) {
            int id = ids[last];
            float d = distances[last];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= last) {
                    break;
                }
                if (child + 1 < last && above(distances[child + 1], distances[child])) {
                    child++;
                }
                if (!above(distances[child], d)) {
                    break;
                }
                ids[i] = ids[child];
                distances[i] = distances[child];
                i = child;
            }
            ids[i] = id;
            distances[i] = d;
        }
        return top;
    }
}
