package io.mlopscore.tracking.api;

import io.mlopscore.artifacts.ArtifactStores;
import io.mlopscore.common.http.ApiException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The checks create-experiment applies to a client's {@code artifact_location}, MLflow's and ours.
 * MLflow's: no fragment or params (CVE-2024-1483, -1593, -1594, -2928, -3848 hid traversal after
 * {@code #} or {@code ;}), no {@code ..} in the decoded query (CVE-2023-6909: the run path is
 * inserted before the query), no {@code runs:/} root. Ours: no {@code ..} segment anywhere, and a
 * local path (or {@code file:} URI) must lie inside one of the server's own artifact roots, so an
 * experiment cannot point the server at {@code /etc}.
 *
 * <pre>{@code
 * ArtifactLocationCheck check = ArtifactLocationCheck.withinRoots(List.of(Path.of("/srv/mlartifacts")));
 * check.check("http:///#/../../etc/");   // throws 400 "'artifact_location' URL can't include fragments or params."
 * }</pre>
 */
public final class ArtifactLocationCheck {
    static final String FRAGMENTS_OR_PARAMS = "'artifact_location' URL can't include fragments or params.";
    static final String INVALID_QUERY = "Invalid query string";
    private static final int MAX_DECODE_ROUNDS = 10;

    /** Schemes the server maps onto its own destination (never fetched as given). */
    private static final java.util.Set<String> PROXIED_SCHEMES = java.util.Set.of("mlflow-artifacts", "http", "https");

    private final List<Path> localRoots;
    private final List<String> remoteRoots;

    private ArtifactLocationCheck(List<Path> localRoots, List<String> remoteRoots) {
        this.localRoots = localRoots;
        this.remoteRoots = remoteRoots;
    }

    /** MLflow's URI rules only; locations are not confined (for a server wired without artifact roots). */
    public static ArtifactLocationCheck uriRulesOnly() {
        return new ArtifactLocationCheck(null, null);
    }

    /** MLflow's URI rules, and local locations confined to these folders. */
    public static ArtifactLocationCheck withinRoots(List<Path> localRoots) {
        return withinRoots(localRoots, List.of());
    }

    /**
     * MLflow's URI rules, local locations confined to these folders, and object-store locations
     * ({@code s3://...}) to these roots: the server reads run artifacts with its own credentials,
     * so an experiment must not be able to point it at any bucket those credentials can read.
     */
    public static ArtifactLocationCheck withinRoots(List<Path> localRoots, List<String> remoteRoots) {
        return new ArtifactLocationCheck(localRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList(),
                remoteRoots.stream().map(r -> r.endsWith("/") ? r.substring(0, r.length() - 1) : r).toList());
    }

    /**
     * @param location the requested artifact_location; null or empty means the server's default
     * @throws ApiException 400 for a location the server will not accept
     */
    public void check(String location) {
        if (location == null || location.isEmpty()) {
            return;
        }
        if (location.indexOf('#') >= 0 || location.indexOf(';') >= 0) {
            throw ApiException.invalid(FRAGMENTS_OR_PARAMS);
        }
        int query = location.indexOf('?');
        if (query >= 0 && decodeRepeatedly(location.substring(query + 1), INVALID_QUERY).contains("..")) {
            throw ApiException.invalid(INVALID_QUERY);
        }
        String scheme = ArtifactStores.scheme(location);
        if ("runs".equals(scheme)) {
            throw ApiException.invalid("Artifact location cannot be a runs:/ URI. Given: '" + location + "'");
        }
        String path = query >= 0 ? location.substring(0, query) : location;
        for (String segment : decodeRepeatedly(path, "Invalid artifact_location '" + location + "': too many levels of percent-encoding.").split("[/\\\\]")) {
            if (segment.equals("..")) {
                throw ApiException.invalid("Invalid artifact_location '" + location + "': it must not contain '..' segments.");
            }
        }
        if (scheme == null || "file".equals(scheme)) {
            checkLocal(location);
        } else if (!PROXIED_SCHEMES.contains(scheme)) {
            checkRemote(location);
        }
    }

    private void checkRemote(String location) {
        if (remoteRoots == null) {
            return;
        }
        for (String root : remoteRoots) {
            if (location.equals(root) || location.startsWith(root + "/")) {
                return;
            }
        }
        throw ApiException.invalid("Invalid artifact_location '" + location + "': an object-store artifact location must be inside one of this server's artifact roots"
                + (remoteRoots.isEmpty() ? " (none is configured: set --default-artifact-root or --artifacts-destination to it)." : " " + remoteRoots + "."));
    }

    private void checkLocal(String location) {
        Path local;
        try {
            local = ArtifactStores.localPath(location).orElseThrow();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("Invalid artifact_location '" + location + "': " + e.getMessage());
        }
        if (localRoots == null) {
            return;
        }
        Path real = realPathOfExistingPart(local);
        for (Path root : localRoots) {
            if (local.startsWith(root) && real.startsWith(realPathOfExistingPart(root))) {
                return;
            }
        }
        throw ApiException.invalid("Invalid artifact_location '" + location
                + "': a local artifact location must be inside one of this server's artifact roots.");
    }

    /**
     * The path with every symbolic link in its existing part resolved: a location inside a root
     * by name but through a link that leaves it is outside. The part that does not exist yet
     * cannot be a link, so it is appended as it is.
     */
    private static Path realPathOfExistingPart(Path path) {
        Path existing = path;
        while (existing != null && !java.nio.file.Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path));
        } catch (java.io.IOException e) {
            return path; // unreadable: judged by name, and reads check again
        }
    }

    private static String decodeRepeatedly(String s, String tooDeep) {
        String current = s;
        for (int i = 0; i < MAX_DECODE_ROUNDS; i++) {
            String next;
            try {
                next = URLDecoder.decode(current.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return current; // a stray '%' ends decoding: what is there is what is checked
            }
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        throw ApiException.invalid(tooDeep);
    }
}
