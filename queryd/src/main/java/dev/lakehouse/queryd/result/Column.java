package dev.lakehouse.queryd.result;

/** A result column: its name and DuckDB's name of its type ({@code BIGINT}, {@code DECIMAL(18,3)}, {@code INTEGER[]} ...). */
public record Column(String name, String type) {}
