package dev.lakehouse.common.model;

/** A column of a dataset schema; {@code type} is a DuckDB type name (BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, VARCHAR). */
public record ColumnSpec(String name, String type) {}
