/** CSV dialects: DuckDB's sniffer and reader under the client's overrides, and the scanner that names a bad line. */
package dev.lakehouse.ingestd.csv;
