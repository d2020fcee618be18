package dev.lakehouse.vectord.engine;

import com.github.jelmerk.knn.DistanceFunction;
import com.github.jelmerk.knn.Jdk17DistanceFunctions;

/** Isolates the reference to hnswlib-core-jdk17 so that a JVM without jdk.incubator.vector never loads it. */
final class SimdKernels {
    private SimdKernels() {}

    static DistanceFunction<float[], Float> dot() {
        return Jdk17DistanceFunctions.VECTOR_FLOAT_256_INNER_PRODUCT;
    }

    static DistanceFunction<float[], Float> l2() {
        return Jdk17DistanceFunctions.VECTOR_FLOAT_256_EUCLIDEAN_DISTANCE;
    }
}
