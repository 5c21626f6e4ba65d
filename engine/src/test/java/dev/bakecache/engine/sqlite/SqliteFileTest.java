package dev.bakecache.engine.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteFileTest {

    @TempDir
    Path dir;

    @Test
    void connectionsRunInWalModeAndWaitForOtherWriters() throws Exception {
        try (Connection connection = SqliteFile.connect(dir.resolve("a.sqlite"));
                Statement statement = connection.createStatement()) {
            assertThat(single(statement, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(statement, "PRAGMA busy_timeout")).isEqualTo(String.valueOf(SqliteFile.BUSY_TIMEOUT.toMillis()));
            assertThat(single(statement, "PRAGMA synchronous")).isEqualTo("1");  // NORMAL
        }
    }

    @Test
    void aDatabaseThatCannotUseWalIsRefused() {
        // an in-memory database keeps journal mode "memory", as a file system without shared memory keeps "delete"
        assertThatThrownBy(() -> SqliteFile.connect(Path.of(":memory:")))
                .isInstanceOfSatisfying(SqliteFile.WalRefused.class,
                        refused -> assertThat(refused.journalMode()).isEqualTo("memory"));
    }

    @Test
    void aFailedTransactionIsRolledBackAndTheConnectionStaysUsable() throws Exception {
        try (Connection connection = SqliteFile.connect(dir.resolve("b.sqlite"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (n INTEGER)");
            assertThatThrownBy(() -> SqliteTransaction.immediate(connection, c -> {
                try (Statement insert = c.createStatement()) {
                    insert.execute("INSERT INTO t VALUES (1)");
                }
                throw new SQLException("disk on fire");
            })).hasMessage("disk on fire");

            int inserted = SqliteTransaction.immediate(connection, c -> {
                try (Statement insert = c.createStatement()) {
                    return insert.executeUpdate("INSERT INTO t VALUES (2)");
                }
            });
            assertThat(inserted).isEqualTo(1);
            assertThat(single(statement, "SELECT group_concat(n) FROM t")).isEqualTo("2");
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
