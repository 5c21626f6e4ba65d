package dev.bakecache.engine.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Statements run on a connection inside a transaction or under its owner's lock. The connection is
 * handed in rather than captured, so the work cannot reach it at any other time.
 */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
