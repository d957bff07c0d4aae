package io.mlopscore.artifacts;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Uploads in parts that the client sends straight to the object store through presigned URLs, as
 * MLflow's S3 multipart upload does: the server only creates, completes or aborts the upload, and
 * the bytes never pass through it.
 */
public interface MultipartUploads {
    /** The most parts one upload may have (S3's limit). */
    int MAX_PARTS = 10_000;

    /** Starts an upload of {@code file} and presigns one URL per part, numbered from 1. */
    MultipartUpload create(ArtifactPath file, int numParts) throws IOException;

    /** Assembles the parts (each with the ETag its PUT answered) into the file. */
    void complete(ArtifactPath file, String uploadId, List<CompletedPart> parts) throws IOException;

    /** Drops an unfinished upload and the parts stored so far. */
    void abort(ArtifactPath file, String uploadId) throws IOException;

    /** A started upload: its id and where each part goes. */
    record MultipartUpload(String uploadId, List<PartTarget> parts) {}

    /** Where to PUT one part, and the headers that PUT must carry. */
    record PartTarget(int partNumber, String url, Map<String, String> headers) {}

    /** One uploaded part, as the client reports it. */
    record CompletedPart(int partNumber, String etag) {}
}
