package io.mlopscore.common.http;

/**
 * MLflow's error codes (databricks.proto {@code ErrorCode}) with the HTTP status MLflow's server
 * answers for each. Only the codes this project raises are listed.
 */
public enum ErrorCode {
    INTERNAL_ERROR(500),
    TEMPORARILY_UNAVAILABLE(503),
    BAD_REQUEST(400),
    INVALID_PARAMETER_VALUE(400),
    MALFORMED_REQUEST(400),
    ENDPOINT_NOT_FOUND(404),
    RESOURCE_DOES_NOT_EXIST(404),
    RESOURCE_ALREADY_EXISTS(400),
    INVALID_STATE(400),
    PERMISSION_DENIED(403),
    REQUEST_LIMIT_EXCEEDED(429),
    RESOURCE_EXHAUSTED(429),
    NOT_IMPLEMENTED(501);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
