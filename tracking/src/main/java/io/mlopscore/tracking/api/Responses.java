package io.mlopscore.tracking.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mlopscore.common.http.Json;

/** Writes JSON answers; an empty message is {@code {}}, as MLflow answers writes. */
final class Responses {
    private static final byte[] EMPTY = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private Responses() {}

    static void json(Context ctx, ObjectNode body) {
        ctx.contentType("application/json").result(body.toString());
    }

    static void empty(Context ctx) {
        ctx.contentType("application/json").result(EMPTY);
    }

    static ObjectNode object() {
        return Json.object();
    }
}
