package io.mlopscore.tracking.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mlopscore.artifacts.ArtifactContent;
import io.mlopscore.artifacts.ArtifactEntry;
import io.mlopscore.artifacts.ArtifactException;
import io.mlopscore.artifacts.ArtifactMediaTypes;
import io.mlopscore.artifacts.ArtifactPath;
import io.mlopscore.artifacts.ArtifactStore;
import io.mlopscore.artifacts.ArtifactStores;
import io.mlopscore.artifacts.ArtifactStreams;
import io.mlopscore.artifacts.InvalidArtifactPathException;
import io.mlopscore.artifacts.LocalArtifactStore;
import io.mlopscore.artifacts.MultipartUploads;
import io.mlopscore.artifacts.MultipartUploads.CompletedPart;
import io.mlopscore.artifacts.MultipartUploads.MultipartUpload;
import io.mlopscore.artifacts.MultipartUploads.PartTarget;
import io.mlopscore.artifacts.S3Settings;
import io.mlopscore.artifacts.WriteResult;
import io.mlopscore.common.http.ApiException;
import io.mlopscore.common.http.ErrorCode;
import io.mlopscore.tracking.model.RunInfo;
import io.mlopscore.tracking.server.TrackingConfig;
import io.mlopscore.tracking.store.RunStore;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MLflow's artifact endpoints: the proxy ({@code /api/2.0/mlflow-artifacts/...}: download, upload,
 * list, delete, multipart) over the {@code --artifacts-destination} store, and the tracking-side
 * reads of a run's or a model version's artifacts ({@code artifacts/list}, {@code /get-artifact},
 * {@code /model-versions/get-artifact}). Every requested path goes through {@link ArtifactPath}
 * before any store sees it. Bodies stream: uploads are read from the raw request stream (never
 * buffered by Javalin, so not capped by {@code --max-request-bytes} but by
 * {@code --max-artifact-bytes}), downloads are written to the raw response stream with their
 * Content-Length.
 */
public final class ArtifactHandlers implements AutoCloseable {
    /** MLflow's exact text: the Python client falls back to a single PUT when a 501 starts with it. */
    static final String MULTIPART_NOT_SUPPORTED = "Multipart upload is not supported for the current artifact repository";
    private static final Logger log = LoggerFactory.getLogger(ArtifactHandlers.class);
    /** Large reads: a big artifact is usually not in the page cache, and the disk likes big requests. */
    private static final int DOWNLOAD_BUFFER_BYTES = 1 << 20;

    /** Resolves a registered model version to the URI its artifacts are read from. */
    @FunctionalInterface
    public interface ModelVersionUris {
        /** The version's download URI (storage location, else source); throws a 404 ApiException if unknown. */
        String downloadUri(String name, String version);
    }

    private final boolean serveArtifacts;
    private final boolean artifactsOnly;
    private final long maxArtifactBytes;
    private final ArtifactStore destination;
    private final ArtifactRoots roots;
    private final RunStore runs;
    private final ArtifactLocationCheck locationCheck;
    private volatile ModelVersionUris modelVersions;

    private ArtifactHandlers(TrackingConfig config, ArtifactStore destination, ArtifactRoots roots, RunStore runs) {
        this.serveArtifacts = config.serveArtifacts();
        this.artifactsOnly = config.artifactsOnly();
        this.maxArtifactBytes = config.maxArtifactBytes();
        this.destination = destination;
        this.roots = roots;
        this.runs = runs;
        this.locationCheck = ArtifactLocationCheck.withinRoots(roots.localRootFolders(), remoteRoots(config, destination));
    }

    /**
     * Opens the artifacts destination (when serving artifacts) and works out the local folders runs
     * may keep artifacts in.
     *
     * @throws IllegalArgumentException for an unusable configuration (a destination URI of an
     *                                  unsupported scheme, {@code --artifacts-only} without serving)
     */
    public static ArtifactHandlers create(TrackingConfig config, RunStore runs) {
        if (config.maxArtifactBytes() <= 0) {
            throw new IllegalArgumentException("--max-artifact-bytes must be positive, got " + config.maxArtifactBytes());
        }
        if (config.artifactsOnly() && !config.serveArtifacts()) {
            throw new IllegalArgumentException("--artifacts-only needs --serve-artifacts: the artifact proxy is all such a server serves.");
        }
        ArtifactStore destination = null;
        List<Path> localRoots = new ArrayList<>();
        if (config.serveArtifacts()) {
            String uri = config.artifactsDestination() == null || config.artifactsDestination().isBlank()
                    ? TrackingConfig.DEFAULT_ARTIFACTS_DESTINATION : config.artifactsDestination();
            destination = ArtifactStores.open(uri);
            if (destination instanceof LocalArtifactStore local) {
                localRoots.add(local.root());
            }
        }
        String defaultRoot = config.effectiveDefaultArtifactRoot();
        String scheme = ArtifactStores.scheme(defaultRoot);
        if (scheme == null || "file".equals(scheme)) {
            Path root = ArtifactStores.localPath(defaultRoot).orElseThrow();
            if (!localRoots.contains(root)) {
                localRoots.add(root);
            }
        }
        ArtifactRoots roots = new ArtifactRoots(destination, localRoots, S3Settings::fromEnvironment, remoteRoots(config, destination));
        log.info("Artifacts: {}; local artifact roots {}; uploads up to {} bytes",
                destination == null ? "not served (--no-serve-artifacts)" : "proxied to " + destination.location(), localRoots, config.maxArtifactBytes());
        return new ArtifactHandlers(config, destination, roots, runs);
    }

    /** The object-store roots configured (destination and default root), that experiments may use. */
    private static List<String> remoteRoots(TrackingConfig config, ArtifactStore destination) {
        List<String> roots = new ArrayList<>();
        for (String uri : new String[] {destination == null || destination instanceof LocalArtifactStore ? null : config.artifactsDestination(),
                config.effectiveDefaultArtifactRoot()}) {
            String scheme = uri == null ? null : ArtifactStores.scheme(uri);
            if (scheme != null && !"file".equals(scheme) && !"mlflow-artifacts".equals(scheme) && !scheme.startsWith("http")) {
                roots.add(uri);
            }
        }
        return roots;
    }

    /** The artifact_location rules create-experiment applies, confined to this server's local roots. */
    public ArtifactLocationCheck locationCheck() {
        return locationCheck;
    }

    /** Connects {@code /model-versions/get-artifact} to the model registry. */
    public void resolveModelVersionsWith(ModelVersionUris uris) {
        this.modelVersions = uris;
    }

    boolean serveArtifacts() {
        return serveArtifacts;
    }

    boolean artifactsOnly() {
        return artifactsOnly;
    }

    // ---- the artifact proxy: /api/2.0/mlflow-artifacts/... ----

    void download(Context ctx, String routePrefix) throws IOException {
        ArtifactPath path = ArtifactPath.parse(rawTail(ctx, routePrefix));
        sendFile(ctx, destination.open(path), path.name());
    }

    void upload(Context ctx, String routePrefix) throws IOException {
        ArtifactPath path = ArtifactPath.parse(rawTail(ctx, routePrefix));
        if (path.isRoot()) {
            throw ApiException.invalid("An artifact upload needs a file name.");
        }
        long length = ctx.req().getContentLengthLong();
        if (length > maxArtifactBytes) {
            throw ArtifactStreams.tooLarge(maxArtifactBytes); // refused before a byte is stored
        }
        InputStream body = ArtifactStreams.capped(new ClientBody(ctx.req().getInputStream()), maxArtifactBytes);
        WriteResult written = destination.write(path, body, length);
        log.debug("Stored artifact {} ({} bytes, sha256 {})", path, written.size(), written.sha256());
        ctx.header("X-Artifact-Sha256", written.sha256());
        Responses.empty(ctx);
    }

    void listProxied(Context ctx) throws IOException {
        ApiRequest req = ApiRequest.of(ctx);
        ArtifactPath dir = ArtifactPath.parse(req.string("path"));
        ObjectNode body = Responses.object();
        addFiles(body, destination.list(dir), null);
        Responses.json(ctx, body);
    }

    void delete(Context ctx, String routePrefix) throws IOException {
        ArtifactPath path = ArtifactPath.parse(rawTail(ctx, routePrefix));
        if (path.isRoot()) {
            throw ApiException.invalid("Refusing to delete the whole artifact root.");
        }
        destination.delete(path);
        Responses.empty(ctx);
    }

    void createMultipart(Context ctx, String routePrefix) throws IOException {
        ArtifactPath dir = ArtifactPath.parse(rawTail(ctx, routePrefix));
        ApiRequest req = ApiRequest.of(ctx);
        String localFile = req.requiredString("path");
        Long numParts = req.int64("num_parts");
        MultipartUploads uploads = multipart();
        long parts = numParts == null ? 0 : numParts;
        if (parts < 1 || parts > MultipartUploads.MAX_PARTS) {
            throw ApiException.invalid("Invalid value " + parts + " for parameter 'num_parts': it must be between 1 and " + MultipartUploads.MAX_PARTS + ".");
        }
        MultipartUpload upload = uploads.create(dir.resolve(uploadedFileName(localFile)), (int) parts);
        ObjectNode body = Responses.object();
        ArrayNode credentials = body.putArray("credentials");
        for (PartTarget part : upload.parts()) {
            ObjectNode c = credentials.addObject();
            c.put("url", part.url());
            c.put("part_number", part.partNumber());
            if (!part.headers().isEmpty()) {
                ObjectNode headers = c.putObject("headers");
                part.headers().forEach(headers::put);
            }
        }
        body.put("upload_id", upload.uploadId());
        Responses.json(ctx, body);
    }

    void completeMultipart(Context ctx, String routePrefix) throws IOException {
        ArtifactPath dir = ArtifactPath.parse(rawTail(ctx, routePrefix));
        ApiRequest req = ApiRequest.of(ctx);
        String localFile = req.requiredString("path");
        String uploadId = req.requiredString("upload_id");
        if (!req.has("parts")) {
            throw ApiRequest.missing("parts");
        }
        List<CompletedPart> parts = new ArrayList<>();
        for (ApiRequest p : req.objectList("parts")) {
            long number = p.requiredInt64("part_number");
            if (number < 1 || number > MultipartUploads.MAX_PARTS) {
                throw ApiException.invalid("Invalid value " + number + " for parameter 'part_number'.");
            }
            parts.add(new CompletedPart((int) number, p.requiredString("etag")));
        }
        MultipartUploads uploads = multipart();
        uploads.complete(dir.resolve(uploadedFileName(localFile)), uploadId, parts);
        Responses.empty(ctx);
    }

    void abortMultipart(Context ctx, String routePrefix) throws IOException {
        ArtifactPath dir = ArtifactPath.parse(rawTail(ctx, routePrefix));
        ApiRequest req = ApiRequest.of(ctx);
        String localFile = req.requiredString("path");
        String uploadId = req.requiredString("upload_id");
        MultipartUploads uploads = multipart();
        uploads.abort(dir.resolve(uploadedFileName(localFile)), uploadId);
        Responses.empty(ctx);
    }

    private MultipartUploads multipart() {
        return destination.multipart().orElseThrow(() -> new ApiException(ErrorCode.NOT_IMPLEMENTED, MULTIPART_NOT_SUPPORTED));
    }

    /**
     * MLflow keeps only the basename of the client's local file path. A Windows client's path has
     * backslashes, so both separators end the directory part here.
     */
    static ArtifactPath uploadedFileName(String localFile) {
        int cut = Math.max(localFile.lastIndexOf('/'), localFile.lastIndexOf('\\'));
        return ArtifactPath.root().child(localFile.substring(cut + 1));
    }

    // ---- tracking-side reads of a run's or a model version's artifacts ----

    void listRunArtifacts(Context ctx) throws IOException {
        ApiRequest req = ApiRequest.of(ctx);
        String runId = req.requiredString("run_id", "run_uuid");
        ArtifactPath relative = ArtifactPath.parse(req.string("path"));
        RunInfo run = runs.getInfo(runId);
        ArtifactRoots.Resolved root = roots.resolve(run.artifactUri());
        ObjectNode body = Responses.object();
        body.put("root_uri", run.artifactUri());
        addFiles(body, root.store().list(root.base().resolve(relative)), root.base());
        Responses.json(ctx, body);
    }

    void getRunArtifact(Context ctx) throws IOException {
        ApiRequest req = ApiRequest.of(ctx);
        String runId = req.requiredString("run_id", "run_uuid");
        ArtifactPath path = requiredPath(req);
        RunInfo run = runs.getInfo(runId);
        ArtifactRoots.Resolved root = roots.resolve(run.artifactUri());
        sendFile(ctx, root.store().open(root.base().resolve(path)), path.name());
    }

    void getModelVersionArtifact(Context ctx) throws IOException {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        String version = req.requiredString("version");
        ArtifactPath path = requiredPath(req);
        ModelVersionUris uris = modelVersions;
        if (uris == null) {
            throw new ApiException(ErrorCode.TEMPORARILY_UNAVAILABLE, "The model registry is not available on this server.");
        }
        ArtifactRoots.Resolved root = roots.resolve(uris.downloadUri(name, version));
        sendFile(ctx, root.store().open(root.base().resolve(path)), path.name());
    }

    private static ArtifactPath requiredPath(ApiRequest req) {
        ArtifactPath path = ArtifactPath.parse(req.requiredString("path"));
        if (path.isRoot()) {
            throw ApiException.notFound("The artifact root is a directory, not a file.");
        }
        return path;
    }

    // ---- shared pieces ----

    /**
     * The request path after the route's prefix, still percent-encoded as sent: ArtifactPath does
     * the decoding (repeatedly), so a path decoded once by the router cannot slip through.
     */
    private static String rawTail(Context ctx, String routePrefix) {
        String uri = ctx.req().getRequestURI();
        if (uri == null || !uri.startsWith(routePrefix)) {
            throw new InvalidArtifactPathException("the request path does not start with the route " + routePrefix);
        }
        return uri.substring(routePrefix.length());
    }

    /**
     * Adds MLflow's {@code files} list (left out when empty, as MLflow renders an empty repeated
     * field). Paths are basenames for the proxy listing, or relative to {@code base} for a run's.
     */
    private static void addFiles(ObjectNode body, List<ArtifactEntry> entries, ArtifactPath base) {
        if (entries.isEmpty()) {
            return;
        }
        ArrayNode files = body.putArray("files");
        for (ArtifactEntry e : entries) {
            ObjectNode f = files.addObject();
            f.put("path", base == null ? e.name() : base.relativize(e.path()).toString());
            f.put("is_dir", e.directory());
            if (!e.directory()) {
                f.put("file_size", e.size());
            }
        }
    }

    /**
     * Streams a file as MLflow serves downloads: the type from the file name, as an attachment
     * named by the bare basename, never sniffed, with its length.
     */
    private static void sendFile(Context ctx, ArtifactContent content, String fileName) throws IOException {
        try (content) {
            HttpServletResponse res = ctx.res();
            String type = ArtifactMediaTypes.of(fileName);
            res.setStatus(200);
            res.setContentType(type.startsWith("text/") ? type + "; charset=utf-8" : type);
            res.setHeader("Content-Disposition", contentDisposition(fileName));
            res.setHeader("X-Content-Type-Options", "nosniff");
            res.setContentLengthLong(content.size());
            // The raw servlet stream: Javalin's own would gzip on the fly and drop Content-Length.
            OutputStream out = res.getOutputStream();
            byte[] buffer = new byte[DOWNLOAD_BUFFER_BYTES];
            InputStream in = content.stream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            out.flush();
        }
    }

    /** {@code attachment; filename=<name>} as MLflow writes it; RFC 6266's UTF-8 form for other names. */
    static String contentDisposition(String fileName) {
        boolean plain = fileName.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != ';' && c != ',' && c != '\\');
        if (plain) {
            return "attachment; filename=" + fileName;
        }
        String ascii = fileName.replaceAll("[^\\x21-\\x7e]|[\";,\\\\]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        roots.close();
        if (destination != null) {
            destination.close();
        }
    }

    /**
     * The request body, with read failures (a client that disconnects, a broken chunked encoding)
     * reported as the client's: the write is abandoned and answered with a 400, not a 500.
     */
    private static final class ClientBody extends FilterInputStream {
        ClientBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw interrupted(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw interrupted(e);
            }
        }

        private static ArtifactException interrupted(IOException e) {
            return new ArtifactException(ArtifactException.Kind.INVALID, "The upload was interrupted before its end: " + e.getMessage(), e);
        }
    }

    /** How each refusal from a store is answered. */
    static ApiException toApi(ArtifactException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case TOO_LARGE -> new ApiException(ErrorCode.RESOURCE_EXHAUSTED, 413, e.getMessage());
            case OUTSIDE_ROOT, CONFLICT, INVALID -> ApiException.invalid(e.getMessage());
        };
    }
}
