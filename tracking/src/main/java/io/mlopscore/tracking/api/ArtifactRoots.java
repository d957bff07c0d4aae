package io.mlopscore.tracking.api;

import io.mlopscore.artifacts.ArtifactPath;
import io.mlopscore.artifacts.ArtifactStore;
import io.mlopscore.artifacts.ArtifactStores;
import io.mlopscore.artifacts.InvalidArtifactPathException;
import io.mlopscore.artifacts.LocalArtifactStore;
import io.mlopscore.artifacts.S3ArtifactStore;
import io.mlopscore.artifacts.S3Location;
import io.mlopscore.artifacts.S3Settings;
import io.mlopscore.common.http.ApiException;
import io.mlopscore.common.http.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Where a run's (or a model version's) artifact root URI is read from, as MLflow's server decides
 * it: a proxied root ({@code mlflow-artifacts:}, or {@code http(s)} while serving artifacts) maps
 * onto the artifacts destination and is never fetched over the network (CVE-2023-6974: no request
 * to whatever host a root names); a local root must lie inside one of the server's own artifact
 * roots (the destination, a local default artifact root), so an experiment created with
 * {@code /etc} as its location serves nothing; {@code s3://} roots are read with the server's S3
 * settings. Every mapped path is an {@link ArtifactPath}, so a stored root with {@code ..} in it is
 * refused rather than followed.
 */
final class ArtifactRoots {
    static final String PROXY_ANCHOR = "/api/2.0/mlflow-artifacts/artifacts";

    /** A root resolved to a store and the path of the root inside it. */
    record Resolved(ArtifactStore store, ArtifactPath base) {}

    private final ArtifactStore destination;
    private final List<LocalArtifactStore> localRoots;
    private final Supplier<S3Settings> s3Settings;
    private final List<String> remoteRoots;
    private final Map<String, S3ArtifactStore> s3Buckets = new ConcurrentHashMap<>();

    /**
     * @param destination the proxy's store, or null when the server does not serve artifacts
     * @param localRoots the local folders the server may read run artifacts from
     */
    ArtifactRoots(ArtifactStore destination, List<Path> localRoots, Supplier<S3Settings> s3Settings) {
        this(destination, localRoots, s3Settings, null);
    }

    /**
     * @param remoteRoots the object-store roots ({@code s3://bucket/prefix}) the server may read run
     *                    and model artifacts from with its own credentials; null means any
     */
    ArtifactRoots(ArtifactStore destination, List<Path> localRoots, Supplier<S3Settings> s3Settings, List<String> remoteRoots) {
        this.remoteRoots = remoteRoots == null ? null
                : remoteRoots.stream().map(r -> r.endsWith("/") ? r.substring(0, r.length() - 1) : r).toList();
        this.destination = destination;
        List<LocalArtifactStore> stores = new ArrayList<>();
        for (Path root : localRoots) {
            if (destination instanceof LocalArtifactStore d && d.root().equals(root.toAbsolutePath().normalize())) {
                stores.add(d); // one store per folder
            } else {
                stores.add(new LocalArtifactStore(root));
            }
        }
        this.localRoots = List.copyOf(stores);
        this.s3Settings = s3Settings;
    }

    List<Path> localRootFolders() {
        return localRoots.stream().map(LocalArtifactStore::root).toList();
    }

    Resolved resolve(String rootUri) {
        if (rootUri == null || rootUri.isBlank()) {
            throw ApiException.invalid("The artifact root is empty.");
        }
        String scheme;
        try {
            scheme = ArtifactStores.scheme(rootUri);
        } catch (RuntimeException e) {
            throw ApiException.invalid("Invalid artifact root '" + rootUri + "'.");
        }
        if ("mlflow-artifacts".equals(scheme) || "http".equals(scheme) || "https".equals(scheme)) {
            if (destination == null) {
                if ("mlflow-artifacts".equals(scheme)) {
                    throw new ApiException(ErrorCode.TEMPORARILY_UNAVAILABLE, "The artifact root '" + rootUri
                            + "' is served by the artifact proxy, which this server runs without (--no-serve-artifacts).");
                }
                throw ApiException.invalid("The artifact root '" + rootUri + "' is a remote HTTP location; this server does not fetch artifacts over HTTP.");
            }
            return new Resolved(destination, proxiedPath(rootUri, scheme));
        }
        if (scheme == null || "file".equals(scheme)) {
            Path local;
            try {
                local = ArtifactStores.localPath(rootUri).orElseThrow();
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(e.getMessage());
            }
            for (LocalArtifactStore root : localRoots) {
                if (local.startsWith(root.root())) {
                    return new Resolved(root, relativePath(root.root().relativize(local)));
                }
            }
            throw new ApiException(ErrorCode.PERMISSION_DENIED,
                    "The artifact root '" + rootUri + "' is outside the folders this server serves artifacts from.");
        }
        if ("s3".equals(scheme)) {
            if (remoteRoots != null && remoteRoots.stream().noneMatch(r -> rootUri.equals(r) || rootUri.startsWith(r + "/"))) {
                // A run or model version may name any bucket; the server's credentials must not follow it there.
                throw new ApiException(ErrorCode.PERMISSION_DENIED, "The artifact root '" + rootUri
                        + "' is outside the object-store roots this server serves artifacts from " + remoteRoots + ".");
            }
            S3Location location;
            try {
                location = S3Location.parse(rootUri);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(e.getMessage());
            }
            S3ArtifactStore bucket = s3Buckets.computeIfAbsent(location.bucket(),
                    b -> S3ArtifactStore.open(new S3Location(b, ArtifactPath.root()), s3Settings.get()));
            return new Resolved(bucket, location.prefix());
        }
        throw new ApiException(ErrorCode.NOT_IMPLEMENTED, "Artifact roots with the scheme '" + scheme + "' are not supported by this server.");
    }

    /**
     * MLflow's mapping of a proxied root onto the destination: for {@code mlflow-artifacts:} the URI
     * path (any host ignored), for http(s) the part after {@code /api/2.0/mlflow-artifacts/artifacts/}.
     */
    static ArtifactPath proxiedPath(String rootUri, String scheme) {
        String rest = rootUri.substring(scheme.length() + 1);
        String path;
        if ("mlflow-artifacts".equals(scheme)) {
            path = rest.startsWith("//") ? stripAuthority(rest.substring(2)) : rest;
        } else {
            int anchor = rest.indexOf(PROXY_ANCHOR);
            if (anchor < 0) {
                throw ApiException.invalid("The artifact root '" + rootUri + "' is not an artifact proxy URI (no " + PROXY_ANCHOR + " in it).");
            }
            path = rest.substring(anchor + PROXY_ANCHOR.length());
        }
        try {
            return ArtifactPath.parse(path.replaceFirst("^/+", ""));
        } catch (InvalidArtifactPathException e) {
            throw ApiException.invalid(InvalidArtifactPathException.MESSAGE);
        }
    }

    private static String stripAuthority(String afterSlashes) {
        int slash = afterSlashes.indexOf('/');
        return slash < 0 ? "" : afterSlashes.substring(slash);
    }

    /** A path below a root as segments taken literally (a folder may be named "%41"; it is not decoded). */
    private static ArtifactPath relativePath(Path relative) {
        ArtifactPath p = ArtifactPath.root();
        if (relative.toString().isEmpty()) {
            return p;
        }
        for (Path segment : relative) {
            p = p.child(segment.toString());
        }
        return p;
    }

    void close() {
        s3Buckets.values().forEach(S3ArtifactStore::close);
        s3Buckets.clear();
    }
}
