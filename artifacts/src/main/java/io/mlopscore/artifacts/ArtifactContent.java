package io.mlopscore.artifacts;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * An opened artifact: its bytes as a stream (read it, then close it) and its length, known before
 * the first byte so a download can announce Content-Length.
 */
public record ArtifactContent(InputStream stream, long size) implements Closeable {
    @Override
    public void close() throws IOException {
        stream.close();
    }
}
