package io.mlopscore.tracking.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlopscore.common.http.ApiException;
import io.mlopscore.common.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * MLflow's search page token: base64 of the JSON {@code {"offset": N}}, written byte for byte as
 * MLflow writes it so tokens pass between the two servers.
 */
public final class PageToken {
    private PageToken() {}

    public static String encode(int offset) {
        String json = "{\"offset\": " + offset + "}"; // json.dumps' spacing
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The offset a token stands for; 0 for no token. As in MLflow, the offset must be present and
     * truthy (so {@code {"offset": 0}} is refused), a number or a string of one.
     */
    /** Decoded bytes of a bad token are echoed only as printable ASCII, at most 100 characters. */
    private static String printable(String decoded) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < decoded.length() && out.length() < 100; i++) {
            char ch = decoded.charAt(i);
            out.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return out.toString();
    }

    public static int decode(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(token.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("Invalid page token, could not base64-decode: " + e.getMessage());
        }
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(decoded);
        } catch (IOException e) {
            throw ApiException.invalid("Invalid page token, decoded value=" + printable(decoded) + " is not JSON");
        }
        JsonNode offset = json == null || !json.isObject() ? null : json.get("offset");
        if (offset == null || offset.isNull() || (offset.isNumber() && offset.asDouble() == 0)
                || (offset.isTextual() && offset.asText().isEmpty())) {
            throw ApiException.invalid("Invalid page token, parsed value=" + printable(decoded) + " has no offset");
        }
        long value;
        if (offset.isIntegralNumber() && offset.canConvertToLong()) {
            value = offset.asLong();
        } else if (offset.isTextual()) {
            try {
                value = Long.parseLong(offset.asText().strip());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("Invalid page token, not stringable " + offset.asText());
            }
        } else {
            throw ApiException.invalid("Invalid page token, offset " + offset + " is not an integer");
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw ApiException.invalid("Invalid page token, offset " + value + " is out of range");
        }
        return (int) value;
    }

    /** Search runs' next token, as MLflow's SQL store makes it: whenever a full page came back. */
    public static String nextForRuns(int offset, int maxResults, int returned) {
        return returned == maxResults ? encode(offset + maxResults) : null;
    }

    /**
     * Search experiments' next token: MLflow asks for maxResults + 1 rows and gives a token only
     * when that extra row came back.
     */
    public static String nextForExperiments(int offset, int maxResults, int fetched) {
        return fetched > maxResults ? encode(offset + maxResults) : null;
    }
}
