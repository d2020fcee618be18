package dev.lakehouse.common.model;

import java.util.List;

/** Answer of {@code POST /embed}: one vector per input text, in order. */
public record EmbedResponse(String model, int dim, List<float[]> vectors) {}
