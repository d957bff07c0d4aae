package io.mlopscore.tracking.model;

import java.util.List;

/** A dataset used by a run, with the tags of that use (for example {@code mlflow.data.context}). */
public record DatasetInput(List<Tag> tags, Dataset dataset) {}
