package io.mlopscore.tracking.model;

/** One logged metric value. NaN and ±Infinity are legal values. */
public record Metric(String key, double value, long timestamp, long step) {}
