/** Body formats (CSV, NDJSON, Parquet) turned into a Parquet file with a schema checked against the dataset's. */
package dev.lakehouse.ingestd.format;
