package dev.bakecache.jobs;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** The executions of one job as the job repository recorded them, oldest first: what tests check runs against. */
record JobHistory(List<Execution> executions) {

    record Execution(long id, String status, LocalDateTime start, LocalDateTime end) {
    }

    static JobHistory of(String jdbcUrl, String user, String password, String job) throws SQLException {
        List<Execution> executions = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement query = connection.prepareStatement("select e.JOB_EXECUTION_ID, e.STATUS, e.START_TIME,"
                     + " e.END_TIME from BATCH_JOB_EXECUTION e join BATCH_JOB_INSTANCE i"
                     + " on e.JOB_INSTANCE_ID = i.JOB_INSTANCE_ID where i.JOB_NAME = ? order by e.JOB_EXECUTION_ID")) {
            query.setString(1, job);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    executions.add(new Execution(rs.getLong(1), rs.getString(2), time(rs, 3), time(rs, 4)));
                }
            }
        } catch (SQLException e) {
            boolean noTable = "42P01".equals(e.getSQLState()) // PostgreSQL's undefined_table
                    || e.getMessage() != null && e.getMessage().contains("no such table"); // SQLite's
            if (noTable) {
                return new JobHistory(List.of()); // the first run has not created the repository yet
            }
            throw e;
        }
        return new JobHistory(executions);
    }

    static JobHistory ofCache(java.nio.file.Path cache, String job) throws SQLException {
        java.nio.file.Path file = cache.resolve("jobs/repository.sqlite");
        if (!java.nio.file.Files.exists(file)) {
            return new JobHistory(List.of()); // no run has started yet; opening it would create it
        }
        return of("jdbc:sqlite:" + file.toAbsolutePath(), null, null, job);
    }

    private static LocalDateTime time(ResultSet rs, int column) throws SQLException {
        var timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toLocalDateTime();
    }

    /** Whether some execution started before another one had ended. */
    boolean anyOverlap() {
        for (int i = 1; i < executions.size(); i++) {
            Execution previous = executions.get(i - 1);
            if (previous.end() == null || executions.get(i).start().isBefore(previous.end())) {
                return true;
            }
        }
        return false;
    }

    Execution last() {
        return executions.getLast();
    }
}
