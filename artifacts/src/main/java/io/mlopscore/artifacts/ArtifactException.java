package io.mlopscore.artifacts;

import java.io.IOException;

/**
 * A store operation that cannot be done because of what was asked, not because the store is
 * broken: the HTTP layer answers each {@link Kind} with a client error, never a 500.
 */
public final class ArtifactException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the operation was refused. */
    public enum Kind {
        /** No file (or no such upload) at that path. */
        NOT_FOUND,
        /** Something of the other type is in the way: a file where a folder is needed, or the reverse. */
        CONFLICT,
        /** The path exists but resolves outside the root, through a symbolic link. */
        OUTSIDE_ROOT,
        /** The request is malformed for this operation (the root as a file name, a bad part list...). */
        INVALID,
        /** The upload is larger than the server accepts. */
        TOO_LARGE
    }

    private final Kind kind;

    public ArtifactException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ArtifactException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
