package io.mlopscore.artifacts;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a large artifact with O_DIRECT in aligned 1 MiB requests. An artifact just uploaded was
 * written past the page cache ({@link StagedFile}), so its download comes from the disk, where the
 * kernel's small read-ahead requests ran at 420 to 580 MB/s here against 1.1 GB/s for direct 1 MiB
 * reads. Small files, and filesystems without O_DIRECT, are read through the page cache, where a
 * hot file stays fast.
 */
final class LargeFileInputStream extends InputStream {
    /** Below this a file is read through the page cache. */
    static final long DIRECT_MIN_BYTES = 8L * 1024 * 1024;
    private static final int CHUNK = 1 << 20;

    private final FileChannel channel;
    private final int alignment;
    private final ByteBuffer buffer;
    private boolean eof;

    private LargeFileInputStream(FileChannel channel, int alignment) {
        this.channel = channel;
        this.alignment = alignment;
        this.buffer = ByteBuffer.allocateDirect(CHUNK + alignment).alignedSlice(alignment);
        this.buffer.limit(0);
    }

    /**
     * Opens a regular file (already checked to be inside the root, links resolved) and its length.
     * Links are not followed: one swapped in since the check is refused.
     */
    static ArtifactContent open(Path real) throws IOException {
        FileChannel plain = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        long size;
        try {
            size = plain.size();
            int alignment = alignment(real);
            if (size >= DIRECT_MIN_BYTES && alignment > 1) {
                try {
                    FileChannel direct = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS, ExtendedOpenOption.DIRECT);
                    plain.close();
                    return new ArtifactContent(new LargeFileInputStream(direct, alignment), size);
                } catch (IOException | UnsupportedOperationException refused) {
                    // no O_DIRECT here: the page cache it is
                }
            }
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
        return new ArtifactContent(Channels.newInputStream(plain), size);
    }

    private static int alignment(Path file) {
        try {
            long block = Files.getFileStore(file).getBlockSize();
            return block >= 512 && block <= CHUNK && Long.bitCount(block) == 1 ? (int) block : 1;
        } catch (IOException | UnsupportedOperationException e) {
            return 1;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!buffer.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    /** Reads the next aligned chunk (short only at the end of the file). */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        buffer.clear().limit(CHUNK);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n <= 0 || n % alignment != 0) {
                eof = true; // the end of the file (a read past it is short, and unaligned)
                break;
            }
        }
        buffer.flip();
        return buffer.hasRemaining();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
