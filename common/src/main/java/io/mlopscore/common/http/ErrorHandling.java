package io.mlopscore.common.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs MLflow's error shape on a Javalin route table: every failure a client sees is
 * {@code {"error_code": ..., "message": ...}} with the code's HTTP status. Unknown paths are a JSON
 * {@code ENDPOINT_NOT_FOUND}; bodies over the size cap are a 413; anything unexpected is a logged
 * 500 that names the request, never its body.
 */
public final class ErrorHandling {
    private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

    private ErrorHandling() {}

    public static void install(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> write(ctx, e.httpStatus(), e.code(), e.getMessage()));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            ErrorCode code = switch (status) {
                case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
                case 413 -> ErrorCode.RESOURCE_EXHAUSTED;
                case 405 -> ErrorCode.BAD_REQUEST;
                default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
            };
            String message = status == 413
                    ? "Request body is larger than the server's limit."
                    : e.getMessage();
            write(ctx, status, code, message);
        });
        routes.exception(Exception.class, (e, ctx) -> {
            ClientFault fault = clientFault(e);
            if (fault != null) {
                // The client sent a broken or cut-off request: its problem, not a server error to log.
                log.debug("Bad request body on {} {}: {}", ctx.method(), ctx.path(), e.toString());
                write(ctx, fault.status(), ErrorCode.BAD_REQUEST, fault.message());
                return;
            }
            if (e instanceof java.io.IOException) {
                // Storage (an object store, a disk) failed under the request: temporary for the client.
                log.warn("Storage failure serving {} {}: {}", ctx.method(), ctx.path(), e.toString());
                write(ctx, 503, ErrorCode.TEMPORARILY_UNAVAILABLE, "The storage behind " + ctx.path() + " failed: " + e.getMessage());
                return;
            }
            log.error("Unhandled error serving {} {}", ctx.method(), ctx.path(), e);
            write(ctx, 500, ErrorCode.INTERNAL_ERROR, "Internal error while serving " + ctx.path() + ": " + e.getClass().getSimpleName());
        });
        routes.error(404, ctx -> {
            if (!"application/json".equals(ctx.res().getContentType())) {
                write(ctx, 404, ErrorCode.ENDPOINT_NOT_FOUND, "No API endpoint at " + ctx.method() + " " + ctx.path());
            }
        });
        routes.error(405, ctx -> write(ctx, 405, ErrorCode.BAD_REQUEST, "Method " + ctx.method() + " is not allowed on " + ctx.path()));
    }

    private record ClientFault(int status, String message) {}

    /** A failure caused by the request itself: a body that ended early, a malformed chunk, a timeout. */
    private static ClientFault clientFault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
                return new ClientFault(h.getCode(), "Bad request: " + (h.getReason() == null ? "malformed HTTP message" : h.getReason()) + ".");
            }
            if (t instanceof java.io.EOFException) {
                return new ClientFault(400, "The request body ended before the length it declared.");
            }
            if (t instanceof java.util.concurrent.TimeoutException) {
                return new ClientFault(408, "The request body did not arrive in time.");
            }
        }
        return null;
    }

    public static void write(Context ctx, int status, ErrorCode code, String message) {
        ObjectNode body = Json.object();
        body.put("error_code", code.name());
        body.put("message", message == null ? "" : message);
        ctx.status(status).contentType("application/json").result(body.toString());
    }
}
