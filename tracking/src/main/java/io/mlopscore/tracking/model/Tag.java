package io.mlopscore.tracking.model;

/** A key and value: experiment tags, run tags and dataset input tags share this shape. */
public record Tag(String key, String value) {}
