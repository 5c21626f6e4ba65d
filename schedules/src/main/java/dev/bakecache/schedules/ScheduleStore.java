package dev.bakecache.schedules;

import java.util.Objects;

/**
 * Where the scheduler keeps the schedule: in memory (one machine, nothing to set up), or in a
 * PostgreSQL database that every scheduler started on it shares, so that each firing runs on one
 * of them. The caller picks it; the scheduler reads no environment and no configuration file.
 */
public final class ScheduleStore {

    private static final ScheduleStore IN_MEMORY = new ScheduleStore(null, null, null);

    private final String jdbcUrl;
    private final String user;
    private final String password;

    private ScheduleStore(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    public static ScheduleStore inMemory() {
        return IN_MEMORY;
    }

    /** @param jdbcUrl {@code jdbc:postgresql://...}; Quartz's tables are created there when missing */
    public static ScheduleStore postgres(String jdbcUrl, String user, String password) {
        return new ScheduleStore(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), user, password);
    }

    /** Whether the schedule is in a database that other schedulers may share. */
    public boolean shared() {
        return jdbcUrl != null;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** For messages: the database's URL, never the password. */
    public String describe() {
        return shared() ? jdbcUrl : "memory";
    }

    @Override
    public String toString() {
        return describe();
    }
}
