package io.mlopscore.artifacts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every file, folder and link under a folder, with each file's SHA-256 and modification time: two
 * equal snapshots prove a request touched nothing there. Links are recorded, never followed.
 */
public record TreeSnapshot(Map<String, String> entries) {
    public static TreeSnapshot of(Path... roots) {
        Map<String, String> entries = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                entries.put(root.toString(), "absent");
                continue;
            }
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                        entries.put(d.toString(), "dir");
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                        if (a.isSymbolicLink()) {
                            entries.put(f.toString(), "link->" + Files.readSymbolicLink(f));
                        } else if (a.isRegularFile()) {
                            entries.put(f.toString(), "file " + a.size() + " " + a.lastModifiedTime().toMillis() + " " + sha256(f));
                        } else {
                            entries.put(f.toString(), "other");
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new TreeSnapshot(entries);
    }

    private static String sha256(Path f) throws IOException {
        try (var in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
