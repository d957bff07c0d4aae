package io.mlopscore.artifacts;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stream helpers the stores and the HTTP layer share: a size cap, and a SHA-256 computed in passing. */
public final class ArtifactStreams {
    /** Copy buffer: large enough that syscalls and digest calls are amortised, small enough per request. */
    public static final int BUFFER_BYTES = 256 * 1024;

    private ArtifactStreams() {}

    /**
     * A stream that fails with {@link ArtifactException.Kind#TOO_LARGE} once more than
     * {@code maxBytes} have been read, so a store aborts the write before the disk fills.
     */
    public static InputStream capped(InputStream in, long maxBytes) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) throws ArtifactException {
                read += n;
                if (read > maxBytes) {
                    throw tooLarge(maxBytes);
                }
            }

            @Override
            public boolean markSupported() {
                return false; // a reset would let the count undercount
            }
        };
    }

    public static ArtifactException tooLarge(long maxBytes) {
        return new ArtifactException(ArtifactException.Kind.TOO_LARGE,
                "Artifact is larger than the server's limit of " + maxBytes + " bytes (--max-artifact-bytes).");
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** Counts and digests what passes through; {@link #size()} and {@link #sha256Hex()} at the end. */
    static final class Digesting extends FilterInputStream {
        private final MessageDigest digest = sha256();
        private long size;

        Digesting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                digest.update((byte) b);
                size++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                digest.update(buf, off, n);
                size += n;
            }
            return n;
        }

        @Override
        public boolean markSupported() {
            return false; // the digest cannot be rewound
        }

        long size() {
            return size;
        }

        String sha256Hex() {
            return hex(digest.digest());
        }
    }
}
