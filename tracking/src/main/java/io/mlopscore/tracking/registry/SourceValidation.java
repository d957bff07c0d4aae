package io.mlopscore.tracking.registry;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.model.RunInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The checks MLflow 2.19 makes on a model version's {@code source} before storing it (they close
 * CVE-2023-1177, -2356, -2780, -6909, -6977, CVE-2024-1483, -3573, -3848):
 * <ol>
 *   <li>A <em>local</em> source (no scheme, like {@code /abs}, {@code rel} or {@code //proc/self/root};
 *       or {@code file:} with no host or host {@code .}, {@code localhost*}, {@code 127.0.0.1*})
 *       needs a run_id, and must resolve, symlinks followed, to that run's artifact directory or
 *       below it; the run's artifact URI must itself be local. A {@code file:} URI naming another
 *       host is refused.</li>
 *   <li>Any other source, once percent- and plus-decoded until stable, must have no ".." segment
 *       and no NUL, and its URL path (slashes collapsed, trailing ones dropped) must be absolute
 *       and already normal: no "." or ".." left to resolve.</li>
 * </ol>
 * Hardening beyond MLflow:
 * <ul>
 *   <li>a local source must stay inside the run directory in its fully decoded form too, so a
 *       double-encoded "..", harmless to MLflow's single decode, is refused in case a later
 *       reader decodes again;</li>
 *   <li>control characters (MLflow: only NUL, in the path) and ".." next to a backslash are
 *       refused in every source, and ".." with ";parameters" in remote ones (servlet containers
 *       read "..;" as "..");</li>
 *   <li>a {@code file:} URI naming another host is a 400, not MLflow's 500;</li>
 *   <li>the remote-path check is lexical: MLflow also resolves that path's symlinks on the
 *       server's own disk, which says nothing about the remote store.</li>
 * </ul>
 */
final class SourceValidation {
    /**
     * A ".." segment, between slashes or backslashes (Windows' separator, which MLflow checks
     * there), also with ";parameters" after it: servlet containers read "..;" as "..".
     */
    private static final Pattern DOT_DOT_SEGMENT = Pattern.compile("(^|[/\\\\])\\.\\.(;[^/\\\\]*)?([/\\\\]|$)");
    /**
     * NUL and the other control characters: URL parsers drop tabs and line breaks (".\t." reads
     * as ".."), file systems stop at NUL. No real source holds them.
     */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F]");
    /** A ".." next to a backslash: refused in every source, as MLflow on Windows does. */
    private static final Pattern BACKSLASH_DOT_DOT = Pattern.compile("(^|[/\\\\])\\.\\.\\\\|\\\\\\.\\.([/\\\\]|$)");

    private SourceValidation() {}

    /** @param runs looks a run up by id, 404 when there is none */
    static void check(String source, String runId, Function<String, RunInfo> runs) {
        String decoded = UriParts.unquotePlusFully(source);
        if (CONTROL.matcher(decoded).find() || BACKSLASH_DOT_DOT.matcher(decoded).find()) {
            throw relativePathError(source);
        }
        if (isLocal(source)) {
            checkLocal(source, runId, runs);
            return;
        }
        checkNoRelativePath(source);
    }

    /** MLflow's is_local_uri for a registry server: local files, by path or by file: URI. */
    static boolean isLocal(String uri) {
        UriParts parts = UriParts.split(uri, true);
        if (parts.scheme().isEmpty()) {
            return true;
        }
        if (!parts.scheme().equals("file")) {
            return false;
        }
        String host = parts.hostname();
        boolean remote = host != null && !(host.equals(".") || host.startsWith("localhost") || host.startsWith("127.0.0.1"));
        if (remote) {
            throw ApiException.invalid(uri + " is not a valid remote uri. For remote access on windows, please consider using a different "
                    + "scheme such as SMB (e.g. smb://<hostname>/<path>).");
        }
        return true;
    }

    private static void checkLocal(String source, String runId, Function<String, RunInfo> runs) {
        if (runId == null || runId.isEmpty()) {
            throw localSourceError(source);
        }
        RunInfo run = runs.apply(runId);
        Path resolved = realPath(localPath(source, false), source);
        String artifactUri = run.artifactUri();
        if (artifactUri != null && !artifactUri.isEmpty() && isLocalQuietly(artifactUri)) {
            Path runDir = realPath(localPath(artifactUri, false), source);
            if (resolved.startsWith(runDir) && realPath(localPath(source, true), source).startsWith(runDir)) {
                return;
            }
        }
        // MLflow quotes the resolved path here; that would tell the client where a symlink points.
        throw localSourceError(source);
    }

    private static boolean isLocalQuietly(String uri) {
        try {
            return isLocal(uri);
        } catch (ApiException remoteFileHost) {
            return false;
        }
    }

    /**
     * The file path of a local URI: a file: URI's path, or the whole string, percent-decoded once
     * (MLflow's local_file_uri_to_path), or until stable when {@code fully}.
     */
    private static String localPath(String uri, boolean fully) {
        UriParts parts = UriParts.split(uri, true);
        String path = parts.scheme().equals("file") ? parts.path() : uri;
        return fully ? UriParts.unquotePlusFully(path) : UriParts.unquote(path);
    }

    /**
     * The path as the file system sees it, like Python's {@code Path.resolve()}: relative paths
     * start at the working directory, and each existing symlink is replaced by its target before
     * the next ".." is applied. A dangling or looping symlink cannot be placed, and is refused.
     */
    static Path realPath(String path, String source) {
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw localSourceError(source);
        }
        if (!p.isAbsolute()) {
            p = Path.of("").toAbsolutePath().resolve(p);
        }
        Path out = p.getRoot();
        for (Path part : p) {
            String name = part.toString();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                out = out.getParent() == null ? out : out.getParent();
                continue;
            }
            Path next = out.resolve(name);
            if (Files.isSymbolicLink(next)) {
                try {
                    next = next.toRealPath();
                } catch (IOException | SecurityException e) {
                    throw localSourceError(source);
                }
            }
            out = next;
        }
        return out;
    }

    /** The relative-path check MLflow applies to every non-local source (PR #8281, #13161). */
    private static void checkNoRelativePath(String source) {
        String decoded = UriParts.unquotePlusFully(source);
        if (DOT_DOT_SEGMENT.matcher(decoded).find()) {
            throw relativePathError(source);
        }
        String path = UriParts.split(decoded, true).path().replaceAll("/+$", "").replaceAll("/+", "/");
        if (!path.startsWith("/")) {
            throw relativePathError(source); // resolving would anchor it at the working directory
        }
        for (String segment : path.split("/")) {
            String name = segment.indexOf(';') >= 0 ? segment.substring(0, segment.indexOf(';')) : segment;
            if (name.equals(".") || name.equals("..")) {
                throw relativePathError(source);
            }
        }
    }

    static ApiException localSourceError(String shown) {
        return ApiException.invalid("Invalid model version source: '" + shown + "'. To use a local path as a model version source, the run_id "
                + "request parameter has to be specified and the local path has to be contained within the artifact directory of the run "
                + "specified by the run_id.");
    }

    static ApiException relativePathError(String source) {
        return ApiException.invalid("Invalid model version source: '" + source + "'. If supplying a source as an http, https, local file "
                + "path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references "
                + "present. Please provide an absolute path.");
    }
}
