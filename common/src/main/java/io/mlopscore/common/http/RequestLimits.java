package io.mlopscore.common.http;

import io.javalin.http.Context;
import java.util.function.Predicate;

/**
 * Refuses a request whose declared body is over the cap before any of it is read, so a client
 * that says {@code Expect: 100-continue} is told 413 instead of being invited to send it. Bodies
 * without a declared length are still capped while they are read (Javalin's maxRequestSize).
 *
 * <pre>{@code
 * RequestLimits limits = new RequestLimits(4 << 20, path -> path.contains("/mlflow-artifacts/"));
 * config.routes.before(limits::check);
 * }</pre>
 */
public final class RequestLimits {
    /** Past this, an oversized body is not read at all: the connection is closed on the client. */
    static final long DRAIN_LIMIT_BYTES = 64L * 1024 * 1024;

    private final long maxBodyBytes;
    private final Predicate<String> streamedPaths;

    /**
     * @param maxBodyBytes the largest body of a buffered (JSON) request
     * @param streamedPaths paths whose bodies are streamed by their handler and capped there
     */
    public RequestLimits(long maxBodyBytes, Predicate<String> streamedPaths) {
        this.maxBodyBytes = maxBodyBytes;
        this.streamedPaths = streamedPaths;
    }

    public void check(Context ctx) throws java.io.IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes && !streamedPaths.test(ctx.path())) {
            // A client that did not ask "Expect: 100-continue" is already sending; unless the body
            // is huge, read it away so the client can read our answer instead of a broken pipe.
            if (!"100-continue".equalsIgnoreCase(ctx.header("Expect")) && declared <= DRAIN_LIMIT_BYTES) {
                ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            }
            throw new ApiException(ErrorCode.RESOURCE_EXHAUSTED, 413, "Request body of " + declared
                    + " bytes is larger than the server's limit of " + maxBodyBytes + " bytes (--max-request-bytes).");
        }
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }
}
