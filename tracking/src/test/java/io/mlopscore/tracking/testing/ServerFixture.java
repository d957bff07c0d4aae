package io.mlopscore.tracking.testing;

import io.mlopscore.tracking.server.TrackingConfig;
import io.mlopscore.tracking.server.TrackingServer;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tracking server on a free loopback port over a fresh backend; closes both. */
public final class ServerFixture implements AutoCloseable {
    public final Backend backend;
    public final TrackingServer server;
    public final Http http;
    private final Path artifacts;

    private ServerFixture(Backend backend, TrackingServer server, Path artifacts) {
        this.backend = backend;
        this.server = server;
        this.artifacts = artifacts;
        this.http = new Http(server.url());
    }

    public static ServerFixture start(String backendKind) {
        Backend backend = Backend.of(backendKind);
        try {
            Path artifacts = Files.createTempDirectory("mlops-core-artifacts");
            TrackingConfig config = new TrackingConfig("127.0.0.1", 0, backend.uri(), null, artifacts.toString(), true,
                    false, TrackingConfig.DEFAULT_MAX_REQUEST_BYTES);
            return new ServerFixture(backend, TrackingServer.start(config), artifacts);
        } catch (Exception e) {
            backend.close();
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
        backend.close();
        Backend.deleteTree(artifacts);
    }
}
