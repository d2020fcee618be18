package com.github.jelmerk.knn;

/**
 * A distance function that can answer in a primitive float [lakehouse fork]. HnswIndex uses it, when its
 * distance function implements it, in every hot loop: no boxed distance per evaluation.
 *
 * @param <TVector> Type of the vector to perform distance calculation on
 */
public interface FloatDistanceFunction<TVector> {

    /**
     * The distance between u and v, ordered like the boxed distance of the same function.
     *
     * @param u from item
     * @param v to item
     * @return the distance
     */
    float floatDistance(TVector u, TVector v);
}
