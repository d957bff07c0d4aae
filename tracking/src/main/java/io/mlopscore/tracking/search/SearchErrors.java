package io.mlopscore.tracking.search;

import io.mlopscore.common.http.ApiException;

/**
 * The INVALID_PARAMETER_VALUE errors of search parsing. Each names the input, the offending
 * token and its position (0-based), then says why, keeping MLflow's wording where it has one
 * ("Invalid attribute key", "Invalid comparator", ...) so clients that match on it still do.
 */
final class SearchErrors {
    private SearchErrors() {}

    /** @param what "filter" or "order_by clause" */
    static ApiException syntax(String what, String source, int position, String detail) {
        return ApiException.invalid("Invalid " + what + " '" + source + "': " + detail + " at position " + position + ".");
    }

    static ApiException at(String what, String source, Token token, String detail) {
        return ApiException.invalid("Invalid " + what + " '" + source + "': " + detail
                + " (at position " + token.start() + ", '" + token.text() + "').");
    }

    static ApiException atEnd(String what, String source, String detail) {
        return ApiException.invalid("Invalid " + what + " '" + source + "': " + detail + " at the end.");
    }
}
