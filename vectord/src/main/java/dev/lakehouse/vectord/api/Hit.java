package dev.lakehouse.vectord.api;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** One search hit; {@code metadata} is the JSON stored with the item, returned verbatim. */
public record Hit(String id, float score, float distance, @JsonRawValue String metadata) {}
