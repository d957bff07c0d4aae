package io.mlopscore.tracking.registry;

import io.mlopscore.tracking.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry events gathered while a change runs and delivered only once it is committed, so
 * listeners never hear of a change that was rolled back.
 */
final class PendingEvents {
    private static final Logger log = LoggerFactory.getLogger(PendingEvents.class);

    private final List<Consumer<RegistryEvents>> events = new ArrayList<>();

    static PendingEvents of(Consumer<RegistryEvents> event) {
        PendingEvents p = new PendingEvents();
        p.add(event);
        return p;
    }

    void add(Consumer<RegistryEvents> event) {
        events.add(event);
    }

    void addFirst(Consumer<RegistryEvents> event) {
        events.add(0, event);
    }

    /** A model's live versions and aliases are going away (deleted, or renamed away). */
    void removalOf(Connection c, String name) throws SQLException {
        for (String version : Sql.query(c, "SELECT version FROM model_versions WHERE name = ? AND current_stage <> ? ORDER BY version",
                rs -> Integer.toString(rs.getInt(1)), name, ModelStages.DELETED_INTERNAL)) {
            add(e -> e.stageChanged(name, version, ModelStages.DELETED_INTERNAL));
        }
        for (String alias : Sql.query(c, "SELECT alias FROM registered_model_aliases WHERE name = ? ORDER BY alias",
                rs -> rs.getString(1), name)) {
            add(e -> e.aliasChanged(name, alias, null));
        }
    }

    /** A model's live versions, with their stages, and its aliases now exist under this name. */
    void arrivalOf(Connection c, String name) throws SQLException {
        for (String[] row : Sql.query(c, "SELECT version, current_stage FROM model_versions WHERE name = ? AND current_stage <> ? ORDER BY version",
                rs -> new String[] {Integer.toString(rs.getInt(1)), rs.getString(2)}, name, ModelStages.DELETED_INTERNAL)) {
            add(e -> e.stageChanged(name, row[0], row[1]));
        }
        for (String[] row : Sql.query(c, "SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias",
                rs -> new String[] {rs.getString(1), Integer.toString(rs.getInt(2))}, name)) {
            add(e -> e.aliasChanged(name, row[0], row[1]));
        }
    }

    /** Delivers the events in order; a failing listener must not turn a stored change into an error. */
    void fire(RegistryEvents listener) {
        for (Consumer<RegistryEvents> event : events) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                log.warn("A registry event listener failed; the change itself is stored", e);
            }
        }
    }
}
