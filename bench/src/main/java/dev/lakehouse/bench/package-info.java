/** Benchmarks: one class per area (storage, ingest, query, vectors, embed), each with a main(). */
package dev.lakehouse.bench;
