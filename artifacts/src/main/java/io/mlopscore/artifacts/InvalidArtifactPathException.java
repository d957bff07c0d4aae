package io.mlopscore.artifacts;

/**
 * A requested artifact path that could name something outside the artifact root, or that is not a
 * plain relative path. The message is MLflow's answer, {@code Invalid path}; {@link #reason()} says
 * which rule refused it, for logs and tests (never needed by a client, and it would only help an
 * attacker tune the next try).
 */
public final class InvalidArtifactPathException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** MLflow's message for every refused path (mlflow/utils/uri.py validate_path_is_safe). */
    public static final String MESSAGE = "Invalid path";

    private final String reason;

    public InvalidArtifactPathException(String reason) {
        super(MESSAGE);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
