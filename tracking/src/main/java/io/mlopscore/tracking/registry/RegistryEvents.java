package io.mlopscore.tracking.registry;

/**
 * Told about registry changes that move what a {@code models:/} URI resolves to, so that a model
 * server can reload (a later issue publishes these on Redis). Called on the request's thread
 * after the change is committed, never for a rejected request; keep it quick. A listener that
 * throws is logged and does not fail the request, whose change is already stored.
 *
 * <p>Versions are strings, as in MLflow's API.
 */
public interface RegistryEvents {
    /** Does nothing: the default when no one listens. */
    RegistryEvents NONE = new RegistryEvents() {};

    /**
     * An alias now points at {@code version}, or, with {@code version} null, no longer exists
     * (deleted, its version deleted, its model deleted or renamed away).
     */
    default void aliasChanged(String name, String alias, String version) {}

    /**
     * A version entered {@code stage}: "None" when created, any stage on a transition (including
     * versions archived by {@code archive_existing_versions}), and "Deleted_Internal" when the
     * version, or its whole model, is deleted. After a rename, every live version of the new
     * name is announced with its stage (and the old name's as deleted).
     */
    default void stageChanged(String name, String version, String stage) {}
}
