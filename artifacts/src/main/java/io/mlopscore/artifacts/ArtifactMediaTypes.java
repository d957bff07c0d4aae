package io.mlopscore.artifacts;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Content-Type MLflow serves an artifact with, from its file name alone (never from the request
 * or the bytes). MLflow's rule: the text after the last dot, or the whole name when there is no
 * dot, is looked up case-sensitively in a list of text extensions ({@code MLmodel} and
 * {@code mlproject} included) that are served as {@code text/plain}; anything else goes through
 * Python's {@code mimetypes.guess_type}, of whose table the entries an ML artifact store meets are
 * kept here; unknown is {@code application/octet-stream}. HTML stays {@code text/html}: downloads
 * are made safe by {@code Content-Disposition: attachment} and {@code nosniff}, not by the type.
 */
public final class ArtifactMediaTypes {
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final Set<String> TEXT_EXTENSIONS = Set.of(
            "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml", "yaml", "yml",
            "xml", "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "MLmodel", "mlproject");

    /** Python's mimetypes entries (lowercase extensions) for the file kinds artifacts usually are. */
    private static final Map<String, String> GUESSED = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("jpe", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("bmp", "image/bmp"),
            Map.entry("svg", "image/svg+xml"), Map.entry("ico", "image/vnd.microsoft.icon"), Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"), Map.entry("webp", "image/webp"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("tar", "application/x-tar"), Map.entry("wasm", "application/wasm"),
            Map.entry("sh", "application/x-sh"), Map.entry("h5", "application/x-hdf5"), Map.entry("mp4", "video/mp4"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/x-wav"), Map.entry("c", "text/plain"),
            Map.entry("h", "text/plain"), Map.entry("bat", "text/plain"), Map.entry("pl", "text/plain"),
            Map.entry("ksh", "text/plain"), Map.entry("text", "text/plain"));

    /** Suffixes Python reads as a content encoding, not a type: {@code a.tar.gz} is a tar file. */
    private static final Set<String> ENCODING_SUFFIXES = Set.of("gz", "bz2", "xz", "z", "br");
    private static final Map<String, String> SUFFIX_ALIASES = Map.of("tgz", "tar", "taz", "tar", "tz", "tar", "tbz2", "tar", "txz", "tar");

    private ArtifactMediaTypes() {}

    public static String of(String fileName) {
        if (fileName == null || fileName.isEmpty()) {
            return OCTET_STREAM;
        }
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? fileName : fileName.substring(dot + 1);
        if (TEXT_EXTENSIONS.contains(extension)) {
            return "text/plain";
        }
        if (dot < 0) {
            return OCTET_STREAM;
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        String ext = lower.substring(dot + 1);
        if (SUFFIX_ALIASES.containsKey(ext)) {
            ext = SUFFIX_ALIASES.get(ext);
        } else if (ENCODING_SUFFIXES.contains(ext)) {
            String rest = lower.substring(0, dot);
            int inner = rest.lastIndexOf('.');
            if (inner < 0) {
                return OCTET_STREAM;
            }
            ext = rest.substring(inner + 1);
        }
        if (TEXT_EXTENSIONS.contains(ext)) {
            return "text/plain"; // mimetypes knows these too (a.TXT, a.json.gz)
        }
        return GUESSED.getOrDefault(ext, OCTET_STREAM);
    }
}
