package dev.lakehouse.common.model;

/** The client's view of a register call: the manifest and whether it was newly created (201) or existing (200). */
public record Registration(Manifest manifest, boolean created) {}
