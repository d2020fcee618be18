/** Publishing: upload, register, the intent journal that makes a crash leave nothing behind, and compaction. */
package dev.lakehouse.ingestd.pipeline;
