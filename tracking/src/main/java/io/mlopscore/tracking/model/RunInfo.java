package io.mlopscore.tracking.model;

/** The metadata of a run ({@code RunInfo}); {@code endTime} is absent while the run has not ended. */
public record RunInfo(
        String runId,
        String runName,
        String experimentId,
        String userId,
        RunStatus status,
        Long startTime,
        Long endTime,
        String artifactUri,
        String lifecycleStage) {}
