package io.mlopscore.artifacts;

/**
 * One child of a listed folder.
 *
 * @param path the child's location from the store's root
 * @param directory whether it is a folder
 * @param size the file's length in bytes; -1 for a folder
 */
public record ArtifactEntry(ArtifactPath path, boolean directory, long size) {
    public static ArtifactEntry file(ArtifactPath path, long size) {
        return new ArtifactEntry(path, false, size);
    }

    public static ArtifactEntry directory(ArtifactPath path) {
        return new ArtifactEntry(path, true, -1);
    }

    public String name() {
        return path.name();
    }
}
