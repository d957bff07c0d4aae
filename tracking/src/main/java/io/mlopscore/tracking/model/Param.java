package io.mlopscore.tracking.model;

/** A run parameter: written once per key. */
public record Param(String key, String value) {}
