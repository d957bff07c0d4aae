package io.mlopscore.tracking.registry;

/** A registered model alias: a name such as {@code champion} pointing at one version of the model. */
public record ModelAlias(String alias, int version) {}
