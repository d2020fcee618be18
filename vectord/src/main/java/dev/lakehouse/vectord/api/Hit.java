package dev.lakehouse.vectord.api;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One search hit; {@code metadata} is the JSON stored with the item, returned verbatim. {@code distance} is
 * the dense distance, absent for a hit only the keyword index ranked.
 */
public record Hit(String id, float score, Float distance, @JsonRawValue String metadata) {}
