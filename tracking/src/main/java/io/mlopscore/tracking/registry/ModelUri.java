package io.mlopscore.tracking.registry;

import io.mlopscore.common.http.ApiException;
import java.util.Locale;

/**
 * A parsed {@code models:/} URI, in the four forms MLflow 2.19 knows:
 * <ul>
 *   <li>{@code models:/<name>/<version>} (digits) — that version;</li>
 *   <li>{@code models:/<name>/latest} (any case) — the highest live version;</li>
 *   <li>{@code models:/<name>/<stage>} — the highest version in that stage (checked when resolved);</li>
 *   <li>{@code models:/<name>@<alias>} — the version the alias points at (split at the last '@').</li>
 * </ul>
 * Anything else is refused with MLflow's "Not a proper models:/ URI" message. Like MLflow, a
 * netloc ({@code models://profile@host/...}, a client-side registry choice) and a query string
 * are ignored, and '#' is part of the path.
 *
 * @param version set for the version form
 * @param stage   set for the stage form, as written
 * @param alias   set for the alias form
 */
public record ModelUri(String uri, Kind kind, String name, String version, String stage, String alias) {

    public enum Kind { VERSION, LATEST, STAGE, ALIAS }

    public static ModelUri parse(String uri) {
        if (uri == null) {
            throw improper(null);
        }
        UriParts parts = UriParts.split(uri, false);
        String path = parts.path();
        if (!parts.scheme().equals("models") || !path.startsWith("/") || path.length() <= 1) {
            throw improper(uri);
        }
        String[] segments = path.replaceFirst("^/+", "").split("/", -1);
        if (segments.length > 2 || segments[0].isBlank()) {
            throw improper(uri);
        }
        if (segments.length == 2) {
            String name = segments[0];
            String suffix = segments[1];
            if (suffix.isBlank()) {
                throw improper(uri);
            }
            if (suffix.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return new ModelUri(uri, Kind.VERSION, name, suffix, null, null);
            }
            if (suffix.toLowerCase(Locale.ROOT).equals("latest")) {
                return new ModelUri(uri, Kind.LATEST, name, null, null, null);
            }
            return new ModelUri(uri, Kind.STAGE, name, null, suffix, null);
        }
        int at = segments[0].lastIndexOf('@');
        if (at < 0) {
            throw improper(uri);
        }
        String name = segments[0].substring(0, at);
        String alias = segments[0].substring(at + 1);
        if (name.isBlank() || alias.isBlank()) {
            throw improper(uri);
        }
        return new ModelUri(uri, Kind.ALIAS, name, null, null, alias);
    }

    static ApiException improper(String uri) {
        return ApiException.invalid("Not a proper models:/ URI: " + uri + ". Models URIs must be of the form 'models:/model_name/suffix' "
                + "or 'models:/model_name@alias' where suffix is a model version, stage, or the string 'latest' and where alias is a "
                + "registered model alias. Only one of suffix or alias can be defined at a time.");
    }
}
