package io.mlopscore.tracking.model;

import java.util.List;

/** An experiment as MLflow's {@code Experiment} message has it; times are epoch millis, maybe absent. */
public record Experiment(
        String experimentId,
        String name,
        String artifactLocation,
        String lifecycleStage,
        Long lastUpdateTime,
        Long creationTime,
        List<Tag> tags) {}
