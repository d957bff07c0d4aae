package io.mlopscore.artifacts;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Opens the store an artifact root URI names: a local path ({@code ./mlartifacts},
 * {@code /var/lib/artifacts}), a {@code file://} URI (no host, or localhost), or
 * {@code s3://bucket/prefix}. Any other scheme is refused: this server never fetches artifacts over
 * HTTP (an artifact root pointing at an internal URL must not become a request to it).
 *
 * <pre>{@code
 * try (ArtifactStore store = ArtifactStores.open("s3://models/prod")) {
 *     store.list(ArtifactPath.root());
 * }
 * }</pre>
 */
public final class ArtifactStores {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]+):");

    private ArtifactStores() {}

    /** Opens the root; an S3 root takes its settings from the environment ({@link S3Settings#fromEnvironment()}). */
    public static ArtifactStore open(String uri) {
        // Only an S3 root reads the AWS chains: on EC2 they ask the instance metadata service.
        return "s3".equals(uri == null ? null : scheme(uri)) ? open(uri, S3Settings.fromEnvironment()) : open(uri, null);
    }

    /**
     * @param s3 how to reach S3, used only for an {@code s3://} root
     * @throws IllegalArgumentException for a URI this server cannot store artifacts at
     */
    public static ArtifactStore open(String uri, S3Settings s3) {
        Optional<Path> local = localPath(uri);
        if (local.isPresent()) {
            return new LocalArtifactStore(local.get());
        }
        String scheme = scheme(uri);
        if ("s3".equals(scheme)) {
            return S3ArtifactStore.open(S3Location.parse(uri), s3);
        }
        throw new IllegalArgumentException("Unsupported artifact store URI '" + uri + "': use a local path, file:///path or s3://bucket/prefix.");
    }

    /**
     * The local folder a root URI names (absolute and normalised), or empty if it is not local.
     *
     * @throws IllegalArgumentException for a {@code file:} URI naming another host, or that is malformed
     */
    public static Optional<Path> localPath(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("An artifact root cannot be empty.");
        }
        String scheme = scheme(uri);
        if (scheme == null) {
            return Optional.of(Path.of(uri).toAbsolutePath().normalize());
        }
        if (!"file".equals(scheme)) {
            return Optional.empty();
        }
        URI u;
        try {
            u = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid file URI: " + uri, e);
        }
        String host = u.getAuthority();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw new IllegalArgumentException("A file URI must name this machine (file:///path), not '" + host + "': " + uri);
        }
        if (u.getPath() == null || !u.getPath().startsWith("/")) {
            throw new IllegalArgumentException("A file URI needs an absolute path (file:///path): " + uri);
        }
        return Optional.of(Path.of(u.getPath()).normalize());
    }

    /** The URI's scheme in lowercase, or null for a plain path. */
    public static String scheme(String uri) {
        var m = SCHEME.matcher(uri);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }
}
