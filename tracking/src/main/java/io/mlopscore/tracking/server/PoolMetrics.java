package io.mlopscore.tracking.server;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The database connection pool's state as gauges, read at scrape time from HikariCP. */
final class PoolMetrics {
    private PoolMetrics() {}

    static void register(PrometheusRegistry registry, HikariDataSource pool) {
        gauge(registry, "mlflow_tracking_db_pool_connections_active", "Connections in use", pool, HikariPoolMXBean::getActiveConnections);
        gauge(registry, "mlflow_tracking_db_pool_connections_idle", "Connections idle in the pool", pool, HikariPoolMXBean::getIdleConnections);
        gauge(registry, "mlflow_tracking_db_pool_connections_max", "Pool size limit", pool, b -> pool.getMaximumPoolSize());
        gauge(registry, "mlflow_tracking_db_pool_threads_waiting", "Threads waiting for a connection", pool, HikariPoolMXBean::getThreadsAwaitingConnection);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, HikariDataSource pool,
                              java.util.function.ToIntFunction<HikariPoolMXBean> read) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> {
                    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
                    if (bean != null) {
                        cb.call(read.applyAsInt(bean));
                    }
                })
                .register(registry);
    }
}
