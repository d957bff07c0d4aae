package io.mlopscore.tracking.artifacts;

import io.mlopscore.tracking.server.TrackingConfig;
import io.mlopscore.tracking.server.TrackingServer;

/**
 * A tracking server in a JVM of its own, for tests that must bound its heap with -Xmx: prints
 * {@code PORT <n>} once listening, and stops when its standard input closes (when the test ends,
 * or dies).
 *
 * <p>Arguments: backend store URI, artifacts destination.
 */
public final class ChildTrackingServer {
    private ChildTrackingServer() {}

    public static void main(String[] args) throws Exception {
        TrackingConfig config = new TrackingConfig("127.0.0.1", 0, args[0], null, args[1], true, false, TrackingConfig.DEFAULT_MAX_REQUEST_BYTES);
        try (TrackingServer server = TrackingServer.start(config)) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
