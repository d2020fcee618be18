package dev.lakehouse.vectord.api;

/** Answer of an add: how many items were added or replaced, and the index's live count after. */
public record AddResponse(int added, int count) {}
