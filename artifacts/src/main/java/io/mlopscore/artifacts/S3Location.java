package io.mlopscore.artifacts;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed {@code s3://bucket/prefix}: the prefix (no leading or trailing '/') is itself an
 * {@link ArtifactPath}, so a configured root cannot climb out of itself either.
 */
public record S3Location(String bucket, ArtifactPath prefix) {
    /** S3's bucket naming rules, loosened to the underscores and capitals legacy buckets have. */
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,254}");

    public static S3Location parse(String uri) {
        if (uri == null || !uri.toLowerCase(Locale.ROOT).startsWith("s3://")) {
            throw new IllegalArgumentException("Not an S3 URI of the form s3://bucket/prefix: " + uri);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("Not a valid S3 bucket name in " + uri);
        }
        try {
            return new S3Location(bucket, ArtifactPath.parse(path));
        } catch (InvalidArtifactPathException e) {
            throw new IllegalArgumentException("Not a valid S3 prefix in " + uri + " (" + e.reason() + ")", e);
        }
    }

    /** The object key of a path below this location ("" for the bucket's root). */
    public String key(ArtifactPath path) {
        return prefix.resolve(path).toString();
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isRoot() ? "" : "/" + prefix);
    }
}
