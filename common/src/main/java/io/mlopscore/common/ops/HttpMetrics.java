package io.mlopscore.common.ops;

import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Request counts and latency per route, recorded from Javalin's request logger hook.
 *
 * <pre>{@code
 * HttpMetrics metrics = new HttpMetrics(registry, "mlflow_tracking");
 * config.requestLogger.http(metrics::record);
 * }</pre>
 *
 * The {@code endpoint} label is the matched route pattern, never the raw path, so ids in URLs do
 * not create new series.
 */
public final class HttpMetrics {
    private final Counter requests;
    private final Histogram latency;

    public HttpMetrics(PrometheusRegistry registry, String prefix) {
        requests = Counter.builder()
                .name(prefix + "_http_requests_total")
                .help("HTTP requests served, by route, method and status code")
                .labelNames("endpoint", "method", "status")
                .register(registry);
        latency = Histogram.builder()
                .name(prefix + "_http_request_duration_seconds")
                .help("Time from request arrival to response, by route and method")
                .unit(null)
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("endpoint", "method")
                .register(registry);
    }

    public void record(Context ctx, Float millis) {
        String endpoint = endpointOf(ctx);
        String method = ctx.method().name();
        requests.labelValues(endpoint, method, Integer.toString(ctx.statusCode())).inc();
        latency.labelValues(endpoint, method).observe(millis / 1000.0);
    }

    private static String endpointOf(Context ctx) {
        try {
            String path = ctx.endpoint().path;
            return path == null || path.isEmpty() || "*".equals(path) ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }
}
