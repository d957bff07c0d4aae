package io.mlopscore.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where artifacts live: a local folder or an S3 prefix. Every method takes an {@link ArtifactPath},
 * so nothing outside the root can be named. Files stream in and out; none is held in memory.
 */
public interface ArtifactStore extends AutoCloseable {
    /** The root, for logs and errors: a folder or {@code s3://bucket/prefix}. */
    String location();

    /**
     * The immediate children of a folder, sorted by name. A missing folder, or a path that names a
     * file, lists as empty (MLflow's answer).
     */
    List<ArtifactEntry> list(ArtifactPath directory) throws IOException;

    /**
     * Opens a file for reading.
     *
     * @throws ArtifactException {@code NOT_FOUND} if there is no file there (a folder is not a file)
     */
    ArtifactContent open(ArtifactPath file) throws IOException;

    /**
     * Stores {@code content} at {@code file}, replacing any file there. The file appears whole or
     * not at all: a stream that fails midway (a client that disconnects) leaves nothing behind.
     *
     * @param expectedBytes the length announced by the sender, or -1 if unknown; a stream that ends
     *                      at another length is refused
     */
    WriteResult write(ArtifactPath file, InputStream content, long expectedBytes) throws IOException;

    /** Deletes a file, or a folder and everything in it; a missing path is not an error. */
    void delete(ArtifactPath path) throws IOException;

    /** Multipart uploads through presigned URLs, where the store has them (S3; not a local folder). */
    default Optional<MultipartUploads> multipart() {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
