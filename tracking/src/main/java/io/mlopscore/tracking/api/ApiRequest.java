package io.mlopscore.tracking.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.mlopscore.common.http.ApiException;
import io.mlopscore.common.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request's fields, read the way MLflow's server reads them: from the query string on GET
 * (repeated names make a list), from a JSON object body otherwise. Typed getters check types and
 * name the field in their errors; int64 fields take JSON numbers or numeric strings, as proto JSON
 * allows.
 *
 * <pre>{@code
 * ApiRequest req = ApiRequest.of(ctx);
 * String runId = req.requiredString("run_id");
 * long step = req.int64("step", 0);
 * }</pre>
 */
public final class ApiRequest {
    /**
     * Fields that may come as JSON numbers although read as text: MLflow stringifies experiment ids,
     * and proto JSON takes enum numbers (view types, run status).
     */
    private static final java.util.Set<String> NUMERIC_IDS = java.util.Set.of("experiment_id", "experiment_ids", "view_type", "run_view_type", "status");

    private final ObjectNode fields;

    private ApiRequest(ObjectNode fields) {
        this.fields = fields;
    }

    public static ApiRequest of(Context ctx) {
        if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.DELETE && ctx.body().isEmpty()) {
            return new ApiRequest(fromQuery(ctx.queryParamMap()));
        }
        String contentType = ctx.contentType();
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            throw ApiException.invalid("Bad Request. Content-Type must be one of [application/json]."
                    + (contentType == null ? "" : " Got '" + contentType + "'."));
        }
        // Parsed from the bytes: a String copy of a large body would double its cost in the heap.
        byte[] body = ctx.bodyAsBytes();
        if (isBlank(body)) {
            return new ApiRequest(Json.object());
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.invalid("Malformed JSON in request body: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // reading a byte array: not expected
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.invalid("The request body must be a JSON object, got " + node.getNodeType().name().toLowerCase() + ".");
        }
        return new ApiRequest(object);
    }

    public static ApiRequest of(ObjectNode fields) {
        return new ApiRequest(fields);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode fromQuery(Map<String, List<String>> query) {
        ObjectNode node = Json.object();
        query.forEach((name, values) -> {
            if (values.size() == 1) {
                node.put(name, values.get(0));
            } else {
                ArrayNode array = node.putArray(name);
                values.forEach(array::add);
            }
        });
        return node;
    }

    public boolean has(String name) {
        JsonNode v = fields.get(name);
        return v != null && !v.isNull();
    }

    public String string(String name) {
        JsonNode v = fields.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return checked(name, v.textValue());
        }
        if (v.isIntegralNumber() && NUMERIC_IDS.contains(name)) {
            return v.asText();
        }
        throw wrongType(name, "a string", v);
    }

    /** NUL cannot be stored by PostgreSQL and is never meaningful in a name or value: refused on every store. */
    private static String checked(String name, String value) {
        if (value.indexOf('\0') >= 0) {
            throw ApiException.invalid("Invalid value for parameter '" + name + "' supplied: it contains a NUL character.");
        }
        return value;
    }

    public String requiredString(String name) {
        String v = string(name);
        if (v == null || v.isEmpty()) {
            throw missing(name);
        }
        return v;
    }

    /** The first present of several names: MLflow keeps deprecated aliases such as run_uuid for run_id. */
    public String requiredString(String name, String alias) {
        String v = string(name);
        if (v == null || v.isEmpty()) {
            v = string(alias);
        }
        if (v == null || v.isEmpty()) {
            throw missing(name);
        }
        return v;
    }

    public Long int64(String name) {
        JsonNode v = fields.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 9.0e18) {
            return (long) v.doubleValue();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw wrongType(name, "an integer", v);
            }
        }
        throw wrongType(name, "an integer", v);
    }

    public long int64(String name, long defaultValue) {
        Long v = int64(name);
        return v == null ? defaultValue : v;
    }

    public long requiredInt64(String name) {
        Long v = int64(name);
        if (v == null) {
            throw missing(name);
        }
        return v;
    }

    public Integer int32(String name) {
        Long v = int64(name);
        if (v == null) {
            return null;
        }
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw ApiException.invalid("Invalid value " + v + " for parameter '" + name + "': it must fit in a 32-bit integer.");
        }
        return v.intValue();
    }

    public Double requiredDouble(String name) {
        JsonNode v = fields.get(name);
        if (v == null || v.isNull()) {
            throw missing(name);
        }
        return toDouble(name, v);
    }

    static double toDouble(String name, JsonNode v) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            String t = v.textValue().trim();
            switch (t) {
                case "NaN": return Double.NaN;
                case "Infinity": case "inf": return Double.POSITIVE_INFINITY;
                case "-Infinity": case "-inf": return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        throw wrongType(name, "a number", v);
                    }
            }
        }
        throw wrongType(name, "a number", v);
    }

    public Boolean bool(String name) {
        JsonNode v = fields.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.textValue().equalsIgnoreCase("true") || v.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.textValue());
        }
        throw wrongType(name, "a boolean", v);
    }

    /** A repeated string field; a single value counts as a one-element list (as on a GET query). */
    public List<String> stringList(String name) {
        JsonNode v = fields.get(name);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            for (JsonNode item : v) {
                if (!(item.isTextual() || item.isIntegralNumber() && NUMERIC_IDS.contains(name))) {
                    throw wrongType(name, "a list of strings", v);
                }
                out.add(checked(name, item.asText()));
            }
            return out;
        }
        if (v.isTextual() || v.isIntegralNumber() && NUMERIC_IDS.contains(name)) {
            out.add(checked(name, v.asText()));
            return out;
        }
        throw wrongType(name, "a list of strings", v);
    }

    /** A repeated message field, each element read as a request of its own. */
    public List<ApiRequest> objectList(String name) {
        JsonNode v = fields.get(name);
        List<ApiRequest> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw wrongType(name, "a list of objects", v);
        }
        for (JsonNode item : v) {
            if (!(item instanceof ObjectNode o)) {
                throw wrongType(name, "a list of objects", v);
            }
            out.add(new ApiRequest(o));
        }
        return out;
    }

    public ApiRequest object(String name) {
        JsonNode v = fields.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!(v instanceof ObjectNode o)) {
            throw wrongType(name, "an object", v);
        }
        return new ApiRequest(o);
    }

    public JsonNode raw(String name) {
        return fields.get(name);
    }

    static ApiException missing(String name) {
        return ApiException.invalid("Missing value for required parameter '" + name + "'. See the API docs for more information about request parameters.");
    }

    static ApiException wrongType(String name, String expected, JsonNode got) {
        String shown = got.toString();
        if (shown.length() > 100) {
            shown = shown.substring(0, 100) + "...";
        }
        return ApiException.invalid("Invalid value " + shown + " for parameter '" + name + "' supplied: it must be " + expected + ".");
    }
}
