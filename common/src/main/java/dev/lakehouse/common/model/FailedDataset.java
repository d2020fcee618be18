package dev.lakehouse.common.model;

/** A dataset catalogd cannot serve because its stored manifests are unreadable, and why. */
public record FailedDataset(String name, String reason) {}
