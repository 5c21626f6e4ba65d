package dev.bakecache.engine.index;

import dev.bakecache.engine.sqlite.SqliteTransaction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The index's tables, their version, and the migrations from older versions.
 *
 * <p>Table {@code blobs(kind, hash, size, stored_size, compression, created, last_accessed,
 * access_count, claimed)}, primary key {@code (kind, hash)}, times in epoch milliseconds,
 * {@code kind} and {@code compression} as enum names. One index per eviction order, each ending in
 * the implicit row id, so every {@link BlobIndex#evictionPage} query seeks in an index and stops
 * after {@code limit} rows instead of sorting the table ({@link EvictionQueries}). Table
 * {@code removals} holds one number, the {@linkplain BlobIndex#removalGeneration removal
 * generation}. {@code PRAGMA user_version} holds {@link #VERSION}; a file with a higher version
 * belongs to a newer bake-cache and is refused rather than touched.
 */
final class IndexSchema {

    /** Written to {@code PRAGMA user_version}; bump it with a migration when the schema changes. */
    static final int VERSION = 3;

    /** One row: the removal generation (docs/adr/0017). */
    private static final String REMOVALS_TABLE = """
            CREATE TABLE IF NOT EXISTS removals (
              only_row   INTEGER PRIMARY KEY CHECK (only_row = 1),
              generation INTEGER NOT NULL
            )""";

    private static final List<String> TABLES = List.of(
            """
            CREATE TABLE IF NOT EXISTS blobs (
              kind          TEXT    NOT NULL,
              hash          TEXT    NOT NULL,
              size          INTEGER NOT NULL,
              stored_size   INTEGER NOT NULL,
              compression   TEXT    NOT NULL,
              created       INTEGER NOT NULL,
              last_accessed INTEGER NOT NULL,
              access_count  INTEGER NOT NULL DEFAULT 0,
              claimed       INTEGER NOT NULL DEFAULT 0,
              PRIMARY KEY (kind, hash)
            )""",
            // one index per eviction order; SQLite appends the row id, our final tie-breaker
            "CREATE INDEX IF NOT EXISTS blobs_by_last_accessed ON blobs (last_accessed)",
            "CREATE INDEX IF NOT EXISTS blobs_by_access_count ON blobs (access_count, last_accessed)",
            "CREATE INDEX IF NOT EXISTS blobs_by_created ON blobs (created)",
            "CREATE INDEX IF NOT EXISTS blobs_by_stored_size ON blobs (stored_size DESC, last_accessed)",
            REMOVALS_TABLE);

    /** Where {@link BlobIndex#replaceAll} stages the new content: a temporary table of its connection. */
    static final String STAGING_TABLE = "temp.blobs_rebuild";

    static final String CREATE_STAGING_TABLE = "CREATE TEMP TABLE IF NOT EXISTS blobs_rebuild ("
            + "kind TEXT NOT NULL, hash TEXT NOT NULL, size INTEGER NOT NULL,"
            + " stored_size INTEGER NOT NULL, compression TEXT NOT NULL, created INTEGER NOT NULL,"
            + " last_accessed INTEGER NOT NULL, access_count INTEGER NOT NULL,"
            + " PRIMARY KEY (kind, hash))";

    private IndexSchema() {
    }

    /** The removals row of a new index: a random start, so a rebuilt index never repeats an old generation. */
    static String startRemovals() {
        return "INSERT INTO removals (only_row, generation) VALUES (1, "
                + ThreadLocalRandom.current().nextLong(1L << 62) + ")";
    }

    static int userVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    /** Whether the database has no tables at all: new, or its creation was interrupted. */
    static boolean hasNoTables(Connection connection) throws SQLException {
        return tableCount(connection, "") == 0;
    }

    static boolean hasBlobsTable(Connection connection) throws SQLException {
        return tableCount(connection, " AND name = 'blobs'") > 0;
    }

    private static int tableCount(Connection connection, String where) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'table'" + where)) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    /** Creates the tables in a database without any, unless another process won the race to. */
    static void create(Connection connection, Path path) throws SQLException {
        SqliteTransaction.immediate(connection, c -> {
            int version = userVersion(c);  // another process may have won the race
            if (version != 0) {
                require(c, path, version);
                return null;
            }
            if (!hasNoTables(c)) {
                throw notAnIndex(path, "has tables but no bake-cache schema version");
            }
            try (Statement statement = c.createStatement()) {
                for (String ddl : TABLES) {
                    statement.execute(ddl);
                }
                startRemovalsAtThisVersion(statement);
            }
            return null;
        });
    }

    /** Refuses a database that is not an index of this or an older version; migrates an older one. */
    static void require(Connection connection, Path path, int version) throws SQLException {
        if (version > VERSION) {
            throw new IndexException(path, "open", "schema version " + version + " is newer than this bake-cache"
                    + " understands (" + VERSION + "); upgrade bake-cache or point it at another cache", null, false);
        }
        if (version == 0) {
            throw notAnIndex(path, hasNoTables(connection)
                    ? "has no schema yet" : "has tables but no bake-cache schema version");
        }
        if (!hasBlobsTable(connection)) {
            throw notAnIndex(path, "has schema version " + version + " but no blobs table");
        }
        if (version < VERSION) {
            migrate(connection);
        }
    }

    /**
     * Version 1 had no {@code claimed} column (claims were written to {@code last_accessed}, so 0
     * loses nothing); versions 1 and 2 had no removals table (a fresh random generation matches no
     * writer's memory, so every writer checks its blobs once more).
     */
    private static void migrate(Connection connection) throws SQLException {
        SqliteTransaction.immediate(connection, c -> {
            int version = userVersion(c); // another process may have migrated it meanwhile
            try (Statement statement = c.createStatement()) {
                if (version == 1) {
                    statement.execute("ALTER TABLE blobs ADD COLUMN claimed INTEGER NOT NULL DEFAULT 0");
                }
                if (version < VERSION) {
                    statement.execute(REMOVALS_TABLE);
                    startRemovalsAtThisVersion(statement);
                }
            }
            return null;
        });
    }

    /** The end of a creation or a migration: the removals row, and the version that has one. */
    private static void startRemovalsAtThisVersion(Statement statement) throws SQLException {
        statement.execute(startRemovals());
        statement.execute("PRAGMA user_version = " + VERSION);
    }

    private static IndexException notAnIndex(Path path, String why) {
        return new IndexException(path, "open", "not a bake-cache blob index: the database " + why
                + "; openOrRecreate moves it aside and rebuilds it", null, false);
    }
}
