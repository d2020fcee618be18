/** HTTP surface: the routes, the body format a request names and the 201 body, idempotent ingests. */
package dev.lakehouse.ingestd.api;
