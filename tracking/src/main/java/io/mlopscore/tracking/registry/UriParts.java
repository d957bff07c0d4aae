package io.mlopscore.tracking.registry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A URI split the way Python's {@code urllib.parse.urlsplit} splits it, because MLflow's checks
 * on sources and {@code models:/} URIs are defined in those terms: the scheme is what precedes
 * the first ':' if it is a letter followed by letters, digits, '+', '-' or '.' (lowercased); the
 * netloc follows a leading "//" up to the next '/', '?' or '#'; then fragment and query come off.
 * Nothing is decoded.
 */
record UriParts(String scheme, String netloc, String path, String query, String fragment) {

    static UriParts split(String uri, boolean allowFragments) {
        String rest = uri;
        String scheme = "";
        int colon = rest.indexOf(':');
        if (colon > 0 && isAsciiLetter(rest.charAt(0)) && isSchemeText(rest, colon)) {
            scheme = rest.substring(0, colon).toLowerCase(Locale.ROOT);
            rest = rest.substring(colon + 1);
        }
        String netloc = "";
        if (rest.startsWith("//")) {
            int end = rest.length();
            for (char delimiter : new char[] {'/', '?', '#'}) {
                int at = rest.indexOf(delimiter, 2);
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
            netloc = rest.substring(2, end);
            rest = rest.substring(end);
        }
        String fragment = "";
        int hash = allowFragments ? rest.indexOf('#') : -1;
        if (hash >= 0) {
            fragment = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        return new UriParts(scheme, netloc, rest, query, fragment);
    }

    /** The host of the netloc, lowercased, without user info and port; null when there is none. */
    String hostname() {
        String host = netloc;
        int at = host.lastIndexOf('@');
        if (at >= 0) {
            host = host.substring(at + 1);
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close > 0 ? host.substring(1, close) : host.substring(1);
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0) {
                host = host.substring(0, colon);
            }
        }
        return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
    }

    /**
     * Python's {@code unquote}: each %XX becomes its byte, the bytes are read as UTF-8 (invalid
     * sequences become U+FFFD), and a '%' not followed by two hex digits is kept as it is.
     */
    static String unquote(String s) {
        return decode(s, false);
    }

    /** Python's {@code unquote_plus}: {@link #unquote} that also reads '+' as a space. */
    static String unquotePlus(String s) {
        return decode(s, true);
    }

    /** Decodes until nothing changes, so no encoding depth hides a "..": each round only shortens. */
    static String unquotePlusFully(String s) {
        String current = s;
        while (true) {
            String next = unquotePlus(current);
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
    }

    private static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
                continue;
            }
            flush(bytes, out);
            out.append(plusIsSpace && c == '+' ? ' ' : c);
            i++;
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
            bytes.reset();
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

    private static boolean isSchemeText(String s, int end) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
