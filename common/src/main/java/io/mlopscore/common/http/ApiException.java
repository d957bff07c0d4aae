package io.mlopscore.common.http;

/**
 * A failure that is answered to the client as MLflow's error JSON:
 * {@code {"error_code": "INVALID_PARAMETER_VALUE", "message": "..."}} with the code's HTTP status.
 *
 * <pre>{@code
 * throw ApiException.invalid("Missing value for required parameter 'run_id'.");
 * }</pre>
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private final int httpStatus;

    public ApiException(ErrorCode code, String message) {
        this(code, code.httpStatus(), message);
    }

    public ApiException(ErrorCode code, int httpStatus, String message) {
        super(message, null, false, false); // no stack trace: these are expected answers, not bugs
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }

    public static ApiException alreadyExists(String message) {
        return new ApiException(ErrorCode.RESOURCE_ALREADY_EXISTS, message);
    }

    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
