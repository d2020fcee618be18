package dev.lakehouse.vectord.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * GET /index/{name}/items/{id}: the item's id, its metadata (verbatim, as stored) and its stored vector when
 * asked ({@code ?vector=true}; unit length for a cosine index).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemView(String id, float[] vector, @JsonRawValue String metadata) {}
