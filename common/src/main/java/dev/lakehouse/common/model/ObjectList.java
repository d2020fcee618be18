package dev.lakehouse.common.model;

import java.util.List;

/** A page of a listing; {@code nextCursor} is null on the last page. */
public record ObjectList(List<ObjectInfo> objects, String nextCursor) {}
