package io.mlopscore.tracking.artifacts;

import io.mlopscore.tracking.server.TrackingConfig;
import io.mlopscore.tracking.server.TrackingServer;
import io.mlopscore.tracking.testing.Backend;
import io.mlopscore.tracking.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * A tracking server for the artifact tests, on a free loopback port over a fresh backend, with its
 * artifact folders inside one temporary base folder: {@code mlartifacts} (the destination),
 * {@code mlruns} (the local default root when artifacts are not served), and {@code outside},
 * which holds sentinel files no request may touch.
 */
final class ArtifactServer implements AutoCloseable {
    final Backend backend;
    final TrackingServer server;
    final Http http;
    final ArtifactClient client;
    final Path base;
    final Path destination;
    final Path outside;

    private ArtifactServer(Backend backend, TrackingServer server, Path base) {
        this.backend = backend;
        this.server = server;
        this.http = new Http(server.url());
        this.client = new ArtifactClient(server.url());
        this.base = base;
        this.destination = base.resolve("mlartifacts");
        this.outside = base.resolve("outside");
    }

    /** Options, as the command line would give them. */
    static final class Options {
        String backendKind = "sqlite";
        boolean serveArtifacts = true;
        boolean artifactsOnly = false;
        long maxArtifactBytes = TrackingConfig.DEFAULT_MAX_ARTIFACT_BYTES;
        String destinationUri; // default: <base>/mlartifacts
        boolean localDefaultRoot; // --default-artifact-root <base>/mlruns

        Options backend(String kind) {
            backendKind = kind;
            return this;
        }

        Options noServeArtifacts() {
            serveArtifacts = false;
            return this;
        }

        Options artifactsOnly() {
            artifactsOnly = true;
            return this;
        }

        Options maxArtifactBytes(long max) {
            maxArtifactBytes = max;
            return this;
        }

        Options destination(String uri) {
            destinationUri = uri;
            return this;
        }

        Options localDefaultRoot() {
            localDefaultRoot = true;
            return this;
        }

        ArtifactServer start() {
            return ArtifactServer.start(this);
        }
    }

    static Options options() {
        return new Options();
    }

    static ArtifactServer start(Options o) {
        Backend backend = Backend.of(o.backendKind);
        try {
            Path base = Files.createTempDirectory("mlops-core-artifact-test").toRealPath();
            Files.createDirectories(base.resolve("mlartifacts"));
            Files.createDirectories(base.resolve("outside"));
            Files.writeString(base.resolve("outside/secret.txt"), "sentinel: must never be read, changed or deleted");
            Files.writeString(base.resolve("outside/passwd"), "root:x:0:0");
            String destination = o.destinationUri != null ? o.destinationUri : base.resolve("mlartifacts").toString();
            String defaultRoot = o.localDefaultRoot ? base.resolve("mlruns").toString() : null;
            TrackingConfig config = new TrackingConfig("127.0.0.1", 0, backend.uri(), defaultRoot, destination, o.serveArtifacts,
                    o.artifactsOnly, TrackingConfig.DEFAULT_MAX_REQUEST_BYTES, o.maxArtifactBytes);
            return new ArtifactServer(backend, TrackingServer.start(config), base);
        } catch (IOException e) {
            backend.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
        backend.close();
        try (var paths = Files.walk(base)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
