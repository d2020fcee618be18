package dev.lakehouse.vectord.api;

import com.fasterxml.jackson.databind.JsonNode;

/** One item of an add: an id and either a vector or a text (embedded by embedd), with optional metadata. */
public record AddItem(String id, float[] vector, String text, JsonNode metadata) {}
