package io.mlopscore.tracking.model;

import java.util.List;

/** A run with its latest metrics, params, tags and dataset inputs. */
public record Run(RunInfo info, List<Metric> metrics, List<Param> params, List<Tag> tags, List<DatasetInput> inputs) {}
