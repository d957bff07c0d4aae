package io.mlopscore.artifacts;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A location inside an artifact root: a list of plain name segments, never {@code ..}, never
 * absolute, never a URI. It is the only way a requested path becomes a location, so a store that
 * takes an {@code ArtifactPath} cannot be asked for anything outside its root.
 *
 * <p>{@link #parse} applies MLflow's {@code validate_path_is_safe} rules, stricter where MLflow
 * relies on the OS: it percent-decodes until the value is stable (at most 10 rounds: CVE-2024-1560
 * used double encoding), then refuses {@code #} and {@code ?} (CVE-2023-6909 and CVE-2024-1483 hid
 * traversal behind them), control characters and NUL, backslashes (a Windows separator, and on
 * Linux a name nobody means), absolute paths, drive letters and any {@code scheme:} prefix
 * ({@code file:}, {@code s3:}...), every {@code ..} segment, invalid UTF-8, and over-long names.
 * Empty and {@code .} segments are dropped, as a filesystem would.
 *
 * <pre>{@code
 * ArtifactPath p = ArtifactPath.parse("models/%2Fetc");   // throws InvalidArtifactPathException
 * ArtifactPath q = ArtifactPath.parse("models/m1/model.pkl");
 * q.parent();   // models/m1
 * q.name();     // model.pkl
 * }</pre>
 */
public final class ArtifactPath implements Comparable<ArtifactPath> {
    /** MLflow's bound on decoding rounds; a value still changing after it is refused. */
    public static final int MAX_DECODE_ROUNDS = 10;
    /** S3 keys are at most 1024 bytes; a longer path could be written locally but never mirrored. */
    public static final int MAX_PATH_BYTES = 1024;
    /** Linux's NAME_MAX: a longer segment fails every filesystem call. */
    public static final int MAX_SEGMENT_BYTES = 255;
    /** Refused before decoding, so a huge value costs no work. */
    private static final int MAX_RAW_LENGTH = 16 * 1024;

    private static final ArtifactPath ROOT = new ArtifactPath(List.of());
    private static final Pattern SCHEME_OR_DRIVE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]*:");

    private final List<String> segments;

    private ArtifactPath(List<String> segments) {
        this.segments = segments;
    }

    public static ArtifactPath root() {
        return ROOT;
    }

    /**
     * A path as a client sent it (still percent-encoded or not): null or empty is the root.
     *
     * @throws InvalidArtifactPathException if it could leave the root or is not a plain relative path
     */
    public static ArtifactPath parse(String requested) {
        if (requested == null || requested.isEmpty()) {
            return ROOT;
        }
        if (requested.length() > MAX_RAW_LENGTH) {
            throw new InvalidArtifactPathException("longer than " + MAX_RAW_LENGTH + " characters");
        }
        String decoded = decodeUntilStable(requested);
        checkCharacters(decoded);
        if (decoded.startsWith("/")) {
            throw new InvalidArtifactPathException("absolute path");
        }
        if (SCHEME_OR_DRIVE.matcher(decoded).find()) {
            throw new InvalidArtifactPathException("a URI scheme or drive letter");
        }
        if (decoded.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new InvalidArtifactPathException("longer than " + MAX_PATH_BYTES + " bytes");
        }
        List<String> out = new ArrayList<>();
        for (String segment : decoded.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            checkSegment(segment);
            out.add(segment);
        }
        return out.isEmpty() ? ROOT : new ArtifactPath(Collections.unmodifiableList(out));
    }

    /**
     * This path with one more segment, a literal name (never decoded): for names a store lists,
     * which must obey the same rules before they are handed out as paths.
     *
     * @throws InvalidArtifactPathException if the name is not a plain single segment
     */
    public ArtifactPath child(String name) {
        if (name == null || name.isEmpty() || name.equals(".")) {
            throw new InvalidArtifactPathException("an empty name");
        }
        checkCharacters(name);
        if (name.indexOf('/') >= 0) {
            throw new InvalidArtifactPathException("a name with a separator");
        }
        checkSegment(name);
        List<String> out = new ArrayList<>(segments.size() + 1);
        out.addAll(segments);
        out.add(name);
        return new ArtifactPath(Collections.unmodifiableList(out));
    }

    /** This path followed by another; both are already safe, so the result is too. */
    public ArtifactPath resolve(ArtifactPath other) {
        if (other.isRoot()) {
            return this;
        }
        if (isRoot()) {
            return other;
        }
        List<String> out = new ArrayList<>(segments.size() + other.segments.size());
        out.addAll(segments);
        out.addAll(other.segments);
        return new ArtifactPath(Collections.unmodifiableList(out));
    }

    /** The part of {@code descendant} below this path, or null if it is not below it. */
    public ArtifactPath relativize(ArtifactPath descendant) {
        if (!descendant.startsWith(this)) {
            return null;
        }
        List<String> rest = descendant.segments.subList(segments.size(), descendant.segments.size());
        return rest.isEmpty() ? ROOT : new ArtifactPath(List.copyOf(rest));
    }

    public boolean startsWith(ArtifactPath prefix) {
        return segments.size() >= prefix.segments.size() && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** The enclosing folder; the root's parent is the root. */
    public ArtifactPath parent() {
        return segments.size() <= 1 ? ROOT : new ArtifactPath(segments.subList(0, segments.size() - 1));
    }

    /** The last segment, "" for the root. */
    public String name() {
        return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    }

    public List<String> segments() {
        return segments;
    }

    /** The segments joined with '/', "" for the root: the form MLflow's JSON and S3 keys use. */
    @Override
    public String toString() {
        return String.join("/", segments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactPath p && p.segments.equals(segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    @Override
    public int compareTo(ArtifactPath o) {
        return toString().compareTo(o.toString());
    }

    private static String decodeUntilStable(String value) {
        String current = value;
        for (int round = 0; round < MAX_DECODE_ROUNDS; round++) {
            String next = percentDecode(current);
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        throw new InvalidArtifactPathException("still percent-encoded after " + MAX_DECODE_ROUNDS + " decoding rounds");
    }

    /**
     * One round of %XX decoding as UTF-8 ('+' stays '+': it is a path, not a form). A '%' not
     * followed by two hex digits stays literal, as Python's unquote leaves it.
     */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 4);
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.put((byte) (hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2))));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                bytes.put(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        bytes.flip();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = utf8.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            // Includes overlong forms such as %C0%AE, an old way to smuggle a '.' past filters.
            throw new InvalidArtifactPathException("percent-escapes that are not UTF-8");
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static void checkCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                throw new InvalidArtifactPathException("a control character");
            }
            if (c == '\\') {
                throw new InvalidArtifactPathException("a backslash");
            }
            if (c == '#') {
                throw new InvalidArtifactPathException("a '#'");
            }
            if (c == '?') {
                throw new InvalidArtifactPathException("a '?'");
            }
        }
    }

    private static void checkSegment(String segment) {
        if (segment.equals("..")) {
            throw new InvalidArtifactPathException("a '..' segment");
        }
        if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            throw new InvalidArtifactPathException("a name longer than " + MAX_SEGMENT_BYTES + " bytes");
        }
    }
}
