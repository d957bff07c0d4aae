package io.mlopscore.tracking.model;

/** A dataset logged with log-inputs; identified within an experiment by name and digest. */
public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {}
