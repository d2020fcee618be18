package dev.lakehouse.vectord.api;

import java.util.List;

/** Body of {@code POST /index/{name}/add}. */
public record AddRequest(List<AddItem> items) {}
