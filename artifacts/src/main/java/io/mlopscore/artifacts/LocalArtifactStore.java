package io.mlopscore.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Artifacts in a local folder. Safe by construction twice over: paths are {@link ArtifactPath}s
 * (no {@code ..}, nothing absolute), and every existing location is resolved to its real path and
 * refused unless it is still under the root's real path, so a symbolic link inside the root that
 * points outside it leads nowhere (listings skip it; reads and writes through it are refused).
 * A link that stays inside the root works.
 *
 * <p>A write streams into a temporary file in a hidden staging folder of the root, is fsynced,
 * and only then are the target's folders made and the file renamed over the target (atomic on
 * POSIX): readers see the old file or the new one, never a part, and an upload that fails midway
 * has created nothing (no file, no folder). The root itself is created by the first write, so
 * reads and listings never create anything.
 */
public final class LocalArtifactStore implements ArtifactStore {
    /** Names of in-progress uploads; hidden from listings and refused as artifact names. */
    static final String UPLOAD_PREFIX = ".mlops-core-upload-";
    /** The folder (in the root) where upload bodies arrive before they are moved into place. */
    static final String STAGING = UPLOAD_PREFIX + "staging";

    private final Path root;

    /** A store over {@code root} (absolute or relative to the working folder); nothing is created yet. */
    public LocalArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The root as configured (absolute, normalised; not necessarily existing). */
    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public List<ArtifactEntry> list(ArtifactPath directory) throws IOException {
        if (reserved(directory)) {
            return List.of(); // uploads in progress are nobody's to see
        }
        Path realRoot = realRoot();
        if (realRoot == null) {
            return List.of();
        }
        Path dir = existing(realRoot, directory);
        if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<ArtifactEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (name.startsWith(UPLOAD_PREFIX)) {
                    continue;
                }
                ArtifactPath childPath;
                try {
                    childPath = directory.child(name);
                } catch (InvalidArtifactPathException e) {
                    continue; // a name no request could address (a backslash, a '#'): not listed
                }
                BasicFileAttributes attrs = attributes(child);
                if (attrs == null) {
                    continue; // removed while listing
                }
                if (attrs.isSymbolicLink()) {
                    Path target = realInside(realRoot, child);
                    if (target == null) {
                        continue; // dangling, or pointing outside the root
                    }
                    attrs = attributes(target);
                    if (attrs == null) {
                        continue;
                    }
                }
                if (attrs.isDirectory()) {
                    entries.add(ArtifactEntry.directory(childPath));
                } else if (attrs.isRegularFile()) {
                    entries.add(ArtifactEntry.file(childPath, attrs.size()));
                }
                // devices, sockets and pipes are not artifacts
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of(); // removed, or replaced by a file, since the check
        }
        entries.sort(Comparator.comparing(ArtifactEntry::name));
        return entries;
    }

    @Override
    public ArtifactContent open(ArtifactPath file) throws IOException {
        Path realRoot = realRoot();
        Path real = realRoot == null || file.isRoot() ? null : existing(realRoot, file);
        if (real == null) {
            throw notFound(file);
        }
        checkNotReserved(file);
        BasicFileAttributes attrs = attributes(real);
        if (attrs == null || !attrs.isRegularFile()) {
            throw new ArtifactException(ArtifactException.Kind.NOT_FOUND,
                    attrs != null && attrs.isDirectory() ? "Artifact '" + file + "' is a directory, not a file." : "No artifact at '" + file + "'.");
        }
        // `real` has no links left, and it is opened without following one swapped in since the check.
        return LargeFileInputStream.open(real);
    }

    @Override
    public WriteResult write(ArtifactPath file, InputStream content, long expectedBytes) throws IOException {
        if (file.isRoot()) {
            throw new ArtifactException(ArtifactException.Kind.INVALID, "An artifact upload needs a file name.");
        }
        checkNotReserved(file);
        Path existingRoot = realRoot();
        if (existingRoot != null) {
            walkFolders(existingRoot, file.parent(), null); // refuse a file or a link in the way before taking the body
        }
        List<Path> created = new ArrayList<>(); // the root and the staging folder, if this write made them
        Path temp = null;
        try {
            Path realRoot = ensureRoot(created);
            MessageDigest digest = ArtifactStreams.sha256();
            temp = stagedPath(realRoot, created);
            long size;
            try (StagedFile staged = openStaged(realRoot, created, temp)) {
                size = staged.copyFrom(content, digest);
            }
            if (expectedBytes >= 0 && size != expectedBytes) {
                throw new ArtifactException(ArtifactException.Kind.INVALID,
                        "The upload ended after " + size + " of the " + expectedBytes + " bytes announced.");
            }
            // Only now, with the whole body on disk, are the target's folders made.
            Path dir = place(realRoot, file, temp);
            temp = null;
            syncDirectory(dir); // and the rename itself survives a crash
            return new WriteResult(size, ArtifactStreams.hex(digest.digest()));
        } catch (IOException | RuntimeException | Error e) {
            if (temp != null) {
                deleteQuietly(temp);
            }
            for (int i = created.size() - 1; i >= 0; i--) {
                deleteQuietly(created.get(i)); // only succeeds while empty: another upload may be using it
            }
            throw e;
        }
    }

    /**
     * A new temporary name in the root's staging folder (hidden from listings), making the folder
     * if needed. Bodies are staged there rather than next to their target, so an upload that
     * fails has made no folder.
     */
    private static Path stagedPath(Path realRoot, List<Path> created) throws IOException {
        Path staging = realRoot.resolve(STAGING);
        BasicFileAttributes attrs = attributes(staging);
        if (attrs == null) {
            try {
                Files.createDirectory(staging);
                created.add(staging);
            } catch (FileAlreadyExistsException raced) {
                // another upload made it
            }
        } else if (!attrs.isDirectory()) {
            throw new IOException("The artifact staging folder " + staging + " is not a directory.");
        }
        return staging.resolve(UUID.randomUUID().toString());
    }

    private static StagedFile openStaged(Path realRoot, List<Path> created, Path temp) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return StagedFile.create(temp);
            } catch (NoSuchFileException removed) {
                if (attempt >= 2) {
                    throw removed;
                }
                stagedPath(realRoot, created); // a failed first upload removed the folder it had made: make it again
            }
        }
    }

    /** Moves a staged file to its target, making the folders on the way; returns the target's folder. */
    private static Path place(Path realRoot, ArtifactPath file, Path staged) throws IOException {
        List<Path> made = new ArrayList<>();
        try {
            Path dir = walkFolders(realRoot, file.parent(), made);
            Path target = dir.resolve(file.name());
            BasicFileAttributes existing = attributes(target);
            if (existing != null && existing.isDirectory()) {
                throw new ArtifactException(ArtifactException.Kind.CONFLICT, "Artifact '" + file + "' is a directory; a file cannot replace it.");
            }
            try {
                // A rename over the target: readers see the old file or the new one, never a part.
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException otherFilesystem) {
                // The folder is a mount point: copy next to the target first, then rename there.
                Path near = dir.resolve(UPLOAD_PREFIX + UUID.randomUUID());
                try {
                    Files.copy(staged, near, LinkOption.NOFOLLOW_LINKS);
                    try (FileChannel c = FileChannel.open(near, StandardOpenOption.WRITE)) {
                        c.force(true);
                    }
                    Files.move(near, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    deleteQuietly(near);
                }
                deleteQuietly(staged);
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            for (int i = made.size() - 1; i >= 0; i--) {
                deleteQuietly(made.get(i));
            }
            throw e;
        }
    }

    @Override
    public void delete(ArtifactPath path) throws IOException {
        if (path.isRoot()) {
            throw new ArtifactException(ArtifactException.Kind.INVALID, "Refusing to delete the whole artifact root.");
        }
        checkNotReserved(path);
        Path realRoot = realRoot();
        if (realRoot == null) {
            return;
        }
        Path parent = existing(realRoot, path.parent());
        if (parent == null) {
            return;
        }
        // The last component is not followed: deleting a link removes the link, never its target.
        Path target = parent.resolve(path.name());
        BasicFileAttributes attrs = attributes(target);
        if (attrs == null) {
            return;
        }
        if (!attrs.isDirectory()) {
            Files.deleteIfExists(target);
            return;
        }
        // walkFileTree does not follow links: a link inside is deleted as a link.
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The root's real path, or null while it does not exist. */
    private Path realRoot() throws IOException {
        try {
            return root.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The real path of an existing location, or null if there is nothing there.
     *
     * @throws ArtifactException {@code OUTSIDE_ROOT} if links lead it out of the root
     */
    private static Path existing(Path realRoot, ArtifactPath path) throws IOException {
        Path lexical = realRoot;
        for (String segment : path.segments()) {
            lexical = lexical.resolve(segment);
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        } catch (FileSystemException e) {
            if (e.getReason() != null && e.getReason().contains("Not a directory")) {
                return null; // a file where a folder was expected: nothing there
            }
            if (e.getReason() != null && e.getReason().contains("symbolic links")) {
                throw outside(path); // a link loop
            }
            throw e;
        }
        if (!real.startsWith(realRoot)) {
            throw outside(path);
        }
        return real;
    }

    /** A link's target if it exists and stays inside the root, else null. */
    private static Path realInside(Path realRoot, Path link) {
        try {
            Path real = link.toRealPath();
            return real.startsWith(realRoot) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The root's real path, creating it (and missing parents, recorded in creation order) if needed. */
    private Path ensureRoot(List<Path> created) throws IOException {
        Path realRoot = realRoot();
        if (realRoot != null) {
            return realRoot;
        }
        List<Path> missing = new ArrayList<>();
        for (Path p = root; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing.add(0, p);
        }
        Files.createDirectories(root);
        created.addAll(missing);
        return root.toRealPath();
    }

    /**
     * Walks the folders of {@code dir} from the root, refusing a file or an outside link on the
     * way. With {@code made} null it only checks (stopping at the first missing folder); otherwise
     * it creates what is missing, recording it. Returns the folder's real path.
     */
    private static Path walkFolders(Path realRoot, ArtifactPath dir, List<Path> made) throws IOException {
        Path current = realRoot;
        for (String segment : dir.segments()) {
            Path next = current.resolve(segment);
            BasicFileAttributes attrs = attributes(next);
            if (attrs == null) {
                if (made == null) {
                    return null; // the rest will be made when the body has arrived
                }
                try {
                    Files.createDirectory(next);
                    made.add(next);
                    current = next;
                    continue;
                } catch (FileAlreadyExistsException raced) {
                    attrs = attributes(next); // another upload made it first
                    if (attrs == null) {
                        throw raced;
                    }
                }
            }
            if (attrs.isSymbolicLink()) {
                Path target = realInside(realRoot, next);
                if (target == null) {
                    throw outside(dir);
                }
                next = target;
                attrs = attributes(next);
            }
            if (attrs == null || !attrs.isDirectory()) {
                throw new ArtifactException(ArtifactException.Kind.CONFLICT,
                        "Cannot write under '" + dir + "': '" + segment + "' is a file, not a directory.");
            }
            current = next;
        }
        return current;
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (FileSystemException e) {
            if (e.getReason() != null && e.getReason().contains("Not a directory")) {
                return null;
            }
            throw e;
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some filesystems cannot fsync a directory; the file itself is already synced.
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover temporary name is hidden from listings
        }
    }

    private static boolean reserved(ArtifactPath path) {
        return path.segments().stream().anyMatch(segment -> segment.startsWith(UPLOAD_PREFIX));
    }

    private static void checkNotReserved(ArtifactPath path) throws ArtifactException {
        if (reserved(path)) {
            throw reserved();
        }
    }

    private static ArtifactException reserved() {
        return new ArtifactException(ArtifactException.Kind.INVALID, "Names starting with '" + UPLOAD_PREFIX + "' are reserved for uploads in progress.");
    }

    private static ArtifactException notFound(ArtifactPath file) {
        return new ArtifactException(ArtifactException.Kind.NOT_FOUND, "No artifact at '" + file + "'.");
    }

    private static ArtifactException outside(ArtifactPath path) {
        return new ArtifactException(ArtifactException.Kind.OUTSIDE_ROOT, "Invalid path: resolved path is outside the artifact directory");
    }
}
