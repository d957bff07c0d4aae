package io.mlopscore.artifacts;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;

/**
 * Artifacts under an S3 prefix ({@code s3://bucket/prefix}), on AWS or an S3-compatible server.
 * Keys are {@code prefix/} + an {@link ArtifactPath}, so nothing outside the prefix can be named;
 * listed keys that are not valid paths (written by other tools) are skipped.
 *
 * <p>A write of known length is one streamed PUT (S3 makes it visible whole or not at all); an
 * unknown length is sent as a multipart upload of {@link #PART_BYTES} parts, one buffer in memory,
 * aborted if the stream fails. Multipart uploads for clients presign one {@code UploadPart} URL per
 * part, as MLflow's S3 repository does, so the bytes go straight to S3.
 */
public final class S3ArtifactStore implements ArtifactStore, MultipartUploads {
    /** S3's largest single PUT. */
    static final long MAX_SINGLE_PUT_BYTES = 5L * 1024 * 1024 * 1024;
    /** Part size for uploads of unknown length: above S3's 5 MiB minimum, one buffer per upload. */
    static final int PART_BYTES = 8 * 1024 * 1024;
    /** How long a presigned part URL stays valid: long enough for a large part on a slow link. */
    static final Duration PRESIGNED_URL_LIFETIME = Duration.ofHours(1);
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final S3Location location;

    S3ArtifactStore(S3Client s3, S3Presigner presigner, S3Location location) {
        this.s3 = s3;
        this.presigner = presigner;
        this.location = location;
    }

    /**
     * A store for {@code s3://bucket/prefix} with its own client, closed with the store. The HTTP
     * client is the Apache one: it streams a PUT of known length, where the URL-connection client
     * buffers the whole body in memory (it streams only chunked bodies, which S3 refuses). The SDK
     * now marks it deprecated in favour of its Apache 5 client, a later move for this store.
     */
    @SuppressWarnings("deprecation")
    public static S3ArtifactStore open(S3Location location, S3Settings settings) {
        S3Configuration serviceConfig = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
        var builder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .serviceConfiguration(serviceConfig)
                // Only the checksums S3 requires: many S3-compatible servers refuse the SDK's default
                // trailing-checksum (aws-chunked) uploads, and writes carry our own SHA-256 anyway.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        var presignerBuilder = S3Presigner.builder()
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .serviceConfiguration(serviceConfig);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
            presignerBuilder.endpointOverride(settings.endpoint());
        }
        return new S3ArtifactStore(builder.build(), presignerBuilder.build(), location);
    }

    public S3Location s3Location() {
        return location;
    }

    @Override
    public String location() {
        return location.toString();
    }

    @Override
    public List<ArtifactEntry> list(ArtifactPath directory) throws IOException {
        String dirKey = location.key(directory);
        String prefix = dirKey.isEmpty() ? "" : dirKey + "/";
        List<ArtifactEntry> entries = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(location.bucket()).prefix(prefix).delimiter("/").build();
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
                for (CommonPrefix p : page.commonPrefixes()) {
                    String name = p.prefix().substring(prefix.length());
                    name = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                    childOf(directory, name).ifPresent(c -> entries.add(ArtifactEntry.directory(c)));
                }
                for (S3Object o : page.contents()) {
                    String name = o.key().substring(prefix.length());
                    if (name.isEmpty()) {
                        continue; // a "folder marker" object some tools write
                    }
                    childOf(directory, name).ifPresent(c -> entries.add(ArtifactEntry.file(c, o.size())));
                }
            }
        } catch (SdkException e) {
            throw failure("list", directory, e);
        }
        entries.sort(Comparator.comparing(ArtifactEntry::name));
        return entries;
    }

    @Override
    public ArtifactContent open(ArtifactPath file) throws IOException {
        if (file.isRoot()) {
            throw new ArtifactException(ArtifactException.Kind.NOT_FOUND, "No artifact at the root of " + location + ".");
        }
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(location.bucket()).key(location.key(file)));
            return new ArtifactContent(in, in.response().contentLength());
        } catch (NoSuchKeyException e) {
            throw new ArtifactException(ArtifactException.Kind.NOT_FOUND, "No artifact at '" + file + "'.");
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ArtifactException(ArtifactException.Kind.NOT_FOUND, "No artifact at '" + file + "'.");
            }
            throw failure("read", file, e);
        } catch (SdkException e) {
            throw failure("read", file, e);
        }
    }

    @Override
    public WriteResult write(ArtifactPath file, InputStream content, long expectedBytes) throws IOException {
        if (file.isRoot()) {
            throw new ArtifactException(ArtifactException.Kind.INVALID, "An artifact upload needs a file name.");
        }
        String key = location.key(file);
        String contentType = ArtifactMediaTypes.of(file.name());
        ArtifactStreams.Digesting in = new ArtifactStreams.Digesting(content);
        try {
            if (expectedBytes >= 0 && expectedBytes <= MAX_SINGLE_PUT_BYTES) {
                // Buffered so the SDK can rewind a retry within its 128 KiB mark; past that a retry fails
                // rather than resending a stream that has moved on.
                InputStream rewindable = new BufferedInputStream(in, 128 * 1024 + 1);
                s3.putObject(b -> b.bucket(location.bucket()).key(key).contentType(contentType).contentLength(expectedBytes),
                        RequestBody.fromInputStream(rewindable, expectedBytes));
                if (in.size() != expectedBytes) {
                    throw new ArtifactException(ArtifactException.Kind.INVALID,
                            "The upload ended after " + in.size() + " of the " + expectedBytes + " bytes announced.");
                }
                return new WriteResult(in.size(), in.sha256Hex());
            }
            byte[] part = in.readNBytes(PART_BYTES);
            if (part.length < PART_BYTES) {
                s3.putObject(b -> b.bucket(location.bucket()).key(key).contentType(contentType), RequestBody.fromBytes(part));
            } else {
                writeInParts(key, contentType, in, part);
            }
            if (expectedBytes >= 0 && in.size() != expectedBytes) {
                delete(file);
                throw new ArtifactException(ArtifactException.Kind.INVALID,
                        "The upload ended after " + in.size() + " of the " + expectedBytes + " bytes announced.");
            }
            return new WriteResult(in.size(), in.sha256Hex());
        } catch (SdkException | UncheckedIOException e) {
            IOException bodyFailure = bodyFailure(e);
            if (bodyFailure != null) {
                throw bodyFailure; // the request body failed (client gone, size cap): its own answer
            }
            throw failure("write", file, (SdkException) e);
        }
    }

    /** The sender's failure inside an SDK error, if that is what it was: the first ArtifactException, else the first IOException. */
    private static IOException bodyFailure(Throwable e) {
        IOException first = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ArtifactException a) {
                return a;
            }
            if (first == null && t instanceof IOException io) {
                first = io;
            }
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof ArtifactException a) {
                    return a;
                }
            }
        }
        return first;
    }

    private void writeInParts(String key, String contentType, InputStream in, byte[] first) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(location.bucket()).key(key).contentType(contentType)).uploadId();
        try {
            List<software.amazon.awssdk.services.s3.model.CompletedPart> done = new ArrayList<>();
            byte[] part = first;
            int number = 1;
            while (part.length > 0) {
                int partNumber = number++;
                byte[] bytes = part;
                String etag = s3.uploadPart(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId).partNumber(partNumber)
                        .contentLength((long) bytes.length), RequestBody.fromBytes(bytes)).eTag();
                done.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                part = in.readNBytes(PART_BYTES);
            }
            s3.completeMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(done).build()));
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId));
            } catch (SdkException ignored) {
                // the upload expires by the bucket's lifecycle rule, if any; the object never appeared
            }
            throw e;
        }
    }

    @Override
    public void delete(ArtifactPath path) throws IOException {
        if (path.isRoot()) {
            throw new ArtifactException(ArtifactException.Kind.INVALID, "Refusing to delete the whole artifact root.");
        }
        String key = location.key(path);
        try {
            List<ObjectIdentifier> batch = new ArrayList<>();
            batch.add(ObjectIdentifier.builder().key(key).build()); // the file itself, if it is one
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(location.bucket()).prefix(key + "/").build();
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
                for (S3Object o : page.contents()) {
                    batch.add(ObjectIdentifier.builder().key(o.key()).build());
                    if (batch.size() == DELETE_BATCH) {
                        deleteBatch(batch);
                        batch = new ArrayList<>();
                    }
                }
            }
            if (!batch.isEmpty()) {
                deleteBatch(batch);
            }
        } catch (SdkException e) {
            throw failure("delete", path, e);
        }
    }

    private void deleteBatch(List<ObjectIdentifier> keys) {
        s3.deleteObjects(b -> b.bucket(location.bucket()).delete(Delete.builder().objects(keys).quiet(true).build()));
    }

    @Override
    public Optional<MultipartUploads> multipart() {
        return Optional.of(this);
    }

    @Override
    public MultipartUpload create(ArtifactPath file, int numParts) throws IOException {
        if (file.isRoot()) {
            throw new ArtifactException(ArtifactException.Kind.INVALID, "A multipart upload needs a file name.");
        }
        if (numParts < 1 || numParts > MAX_PARTS) {
            throw new ArtifactException(ArtifactException.Kind.INVALID, "num_parts must be between 1 and " + MAX_PARTS + ", got " + numParts + ".");
        }
        String key = location.key(file);
        try {
            String uploadId = s3.createMultipartUpload(b -> b.bucket(location.bucket()).key(key)
                    .contentType(ArtifactMediaTypes.of(file.name()))).uploadId();
            List<PartTarget> parts = new ArrayList<>(numParts);
            for (int i = 1; i <= numParts; i++) {
                int partNumber = i;
                String url = presigner.presignUploadPart(p -> p.signatureDuration(PRESIGNED_URL_LIFETIME)
                        .uploadPartRequest(u -> u.bucket(location.bucket()).key(key).uploadId(uploadId).partNumber(partNumber)))
                        .url().toString();
                parts.add(new PartTarget(partNumber, url, Map.of()));
            }
            return new MultipartUpload(uploadId, parts);
        } catch (SdkException e) {
            throw failure("start a multipart upload of", file, e);
        }
    }

    @Override
    public void complete(ArtifactPath file, String uploadId, List<CompletedPart> parts) throws IOException {
        if (parts.isEmpty()) {
            throw new ArtifactException(ArtifactException.Kind.INVALID, "A multipart upload needs at least one part to complete.");
        }
        List<software.amazon.awssdk.services.s3.model.CompletedPart> done = new ArrayList<>();
        for (CompletedPart p : parts) {
            done.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag()).build());
        }
        done.sort(Comparator.comparing(software.amazon.awssdk.services.s3.model.CompletedPart::partNumber));
        try {
            s3.completeMultipartUpload(b -> b.bucket(location.bucket()).key(location.key(file)).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(done).build()));
        } catch (SdkException e) {
            throw uploadFailure("complete", file, uploadId, e);
        }
    }

    @Override
    public void abort(ArtifactPath file, String uploadId) throws IOException {
        try {
            s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(location.key(file)).uploadId(uploadId));
        } catch (SdkException e) {
            throw uploadFailure("abort", file, uploadId, e);
        }
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }

    private static Optional<ArtifactPath> childOf(ArtifactPath directory, String name) {
        try {
            return Optional.of(directory.child(name));
        } catch (InvalidArtifactPathException e) {
            return Optional.empty();
        }
    }

    /** S3's verdict on a client's upload id or part list is the client's mistake, not ours. */
    private IOException uploadFailure(String action, ArtifactPath file, String uploadId, SdkException e) {
        if (e instanceof NoSuchUploadException || e instanceof S3Exception s && s.statusCode() == 404) {
            return new ArtifactException(ArtifactException.Kind.NOT_FOUND, "No multipart upload '" + uploadId + "' for '" + file + "'.", e);
        }
        if (e instanceof S3Exception s && s.statusCode() == 400) {
            String detail = s.awsErrorDetails() != null ? s.awsErrorDetails().errorMessage() : s.getMessage();
            return new ArtifactException(ArtifactException.Kind.INVALID, "Cannot " + action + " the multipart upload of '" + file + "': " + detail, e);
        }
        return failure(action + " the multipart upload of", file, e);
    }

    private IOException failure(String action, ArtifactPath path, SdkException e) {
        return new IOException("S3 could not " + action + " '" + path + "' in " + location + ": " + e.getMessage(), e);
    }
}
