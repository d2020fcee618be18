/** The request body on local disk: decompressed while spooled under the size cap, and the spool dir kept clean. */
package dev.lakehouse.ingestd.spool;
