package dev.bakecache.engine.metrics;

import dev.bakecache.engine.sqlite.DamagedSqliteFile;
import dev.bakecache.engine.sqlite.SqliteFile;
import dev.bakecache.engine.sqlite.SqliteTransaction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The counters and latency histograms jobs record as they run, kept in their own SQLite file
 * ({@code <root>/metrics.sqlite}) so that they survive the process and add up across every
 * process that uses the cache; {@code stats} reads them. Counters only grow (Prometheus counter
 * semantics): nothing here resets them, not even {@code clean}.
 *
 * <p>Several processes record at once, as with the blob index: WAL mode, a busy timeout, and every
 * write a {@code BEGIN IMMEDIATE} transaction that adds to the stored value in SQL, so no
 * increment is lost to a read-modify-write race. An instance holds one connection and is safe
 * to share between threads.
 *
 * <p>Tables: {@code counters(name, value)}; {@code latencies(operation, bucket, count,
 * sum_nanos)}, one row per operation and {@link LatencyHistogram} bucket, the sum of the
 * operation's durations riding on bucket {@code -1}; {@code remote_requests(remote, method, count)};
 * and {@code last_successes(job, epoch_millis)}, when each job last exited 0. The last success is
 * kept here rather than read from the job repository: that may be a PostgreSQL database shared by
 * many caches, and {@code stats} reports on one cache without needing to reach it.
 */
public final class CacheMetrics implements AutoCloseable {

    /** Operation and job names become parts of Prometheus names and label values. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final int SUM_BUCKET = -1;

    private final Path file;
    private final Connection connection;

    private CacheMetrics(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens the metrics file, creating it (and its tables) when missing. A damaged file is moved
     * aside ({@code metrics.sqlite.corrupt-<time>}, with a warning) and the counters start again
     * from zero: statistics are not worth failing a job over.
     */
    public static CacheMetrics open(Path file) {
        try {
            return openOrFail(file);
        } catch (MetricsException e) {
            if (!DamagedSqliteFile.reportedIn(e)) {
                throw e;
            }
            Path aside;
            try {
                aside = DamagedSqliteFile.moveAside(file);
            } catch (java.io.IOException moveFailed) {
                e.addSuppressed(moveFailed);
                throw e;
            }
            System.getLogger(CacheMetrics.class.getName()).log(System.Logger.Level.WARNING,
                    file + " was damaged (" + e.getCause().getMessage() + "); kept as " + aside.getFileName()
                            + ", the counters start again from zero");
            return openOrFail(file);
        }
    }

    private static CacheMetrics openOrFail(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection connection = SqliteFile.connect(file.toAbsolutePath());
            CacheMetrics metrics = new CacheMetrics(file, connection);
            try {
                metrics.prepare();
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            return metrics;
        } catch (SQLException | java.io.IOException e) {
            throw new MetricsException(file, "open", e);
        }
    }

    private void prepare() throws SQLException {
        write("create tables", () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
                statement.execute("CREATE TABLE IF NOT EXISTS latencies (operation TEXT NOT NULL,"
                        + " bucket INTEGER NOT NULL, count INTEGER NOT NULL, sum_nanos INTEGER NOT NULL,"
                        + " PRIMARY KEY (operation, bucket))");
                statement.execute("CREATE TABLE IF NOT EXISTS remote_requests (remote TEXT NOT NULL,"
                        + " method TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (remote, method))");
                statement.execute("CREATE TABLE IF NOT EXISTS last_successes (job TEXT PRIMARY KEY,"
                        + " epoch_millis INTEGER NOT NULL)");
            }
        });
    }

    /** Adds {@code delta} (not negative: counters only grow) to {@code counter}. */
    public void add(Counter counter, long delta) {
        addAll(Map.of(counter, delta));
    }

    /** Adds to several counters in one transaction, e.g. everything one restore did. */
    public void addAll(Map<Counter, Long> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        deltas.forEach((counter, delta) -> {
            if (delta < 0) {
                throw new IllegalArgumentException("counter " + counter.id() + " only grows; cannot add " + delta);
            }
        });
        write("add to " + deltas.size() + " counters", () -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO counters (name, value)"
                    + " VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value")) {
                for (Map.Entry<Counter, Long> delta : deltas.entrySet()) {
                    upsert.setString(1, delta.getKey().id());
                    upsert.setLong(2, delta.getValue());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    /**
     * Records that one {@code operation} (lower-case with underscores, e.g. {@code ingest},
     * {@code restore}, {@code verify}) took {@code duration}.
     */
    public void recordLatency(String operation, Duration duration) {
        if (operation == null || !NAME.matcher(operation).matches()) {
            throw new IllegalArgumentException("operation name '" + operation
                    + "' must be lower-case letters, digits and _ (e.g. restore)");
        }
        Objects.requireNonNull(duration, "duration");
        write("record a " + operation + " latency", () -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO latencies"
                    + " (operation, bucket, count, sum_nanos) VALUES (?, ?, 1, ?) ON CONFLICT (operation, bucket)"
                    + " DO UPDATE SET count = count + 1, sum_nanos = sum_nanos + excluded.sum_nanos")) {
                upsert.setString(1, operation);
                upsert.setInt(2, LatencyHistogram.bucketOf(duration));
                upsert.setLong(3, 0);
                upsert.addBatch();
                upsert.setString(1, operation);
                upsert.setInt(2, SUM_BUCKET);
                upsert.setLong(3, Math.max(0, duration.toNanos()));
                upsert.addBatch();
                upsert.executeBatch();
            }
        });
    }

    /**
     * Adds the requests jobs sent to remotes (none negative), in one transaction. A zero is stored
     * too: it makes the series exist from the first job that used the remote, as Prometheus'
     * {@code rate()} over a counter needs.
     */
    public void addRemoteRequests(Map<RemoteRequest, Long> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        deltas.forEach((request, delta) -> {
            if (delta < 0) {
                throw new IllegalArgumentException("request counts only grow; cannot add " + delta + " to " + request);
            }
        });
        write("add to " + deltas.size() + " remote request counts", () -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO remote_requests"
                    + " (remote, method, count) VALUES (?, ?, ?) ON CONFLICT (remote, method)"
                    + " DO UPDATE SET count = count + excluded.count")) {
                for (Map.Entry<RemoteRequest, Long> delta : deltas.entrySet()) {
                    upsert.setString(1, delta.getKey().remote());
                    upsert.setString(2, delta.getKey().method());
                    upsert.setLong(3, delta.getValue());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    /**
     * Records that a run of {@code job} (a job name such as {@code gc}) succeeded at {@code completed}.
     * An earlier time than the one stored is ignored: the pods of an Indexed Job finish in any order.
     */
    public void recordSuccess(String job, Instant completed) {
        if (job == null || !NAME.matcher(job).matches()) {
            throw new IllegalArgumentException("job name '" + job + "' must be lower-case letters, digits and _ (e.g. gc)");
        }
        Objects.requireNonNull(completed, "completed");
        write("record a " + job + " success", () -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO last_successes (job, epoch_millis)"
                    + " VALUES (?, ?) ON CONFLICT (job) DO UPDATE SET epoch_millis = max(epoch_millis, excluded.epoch_millis)")) {
                upsert.setString(1, job);
                upsert.setLong(2, completed.toEpochMilli());
                upsert.executeUpdate();
            }
        });
    }

    /** Everything as stored now; counters of another bake-cache version are skipped. */
    public synchronized MetricsSnapshot snapshot() {
        try (Statement statement = connection.createStatement()) {
            Map<String, Counter> byId = new HashMap<>();
            Map<Counter, Long> counters = new EnumMap<>(Counter.class);
            for (Counter counter : Counter.values()) {
                byId.put(counter.id(), counter);
                counters.put(counter, 0L);
            }
            try (ResultSet rows = statement.executeQuery("SELECT name, value FROM counters")) {
                while (rows.next()) {
                    Counter counter = byId.get(rows.getString(1));
                    if (counter != null) {
                        counters.put(counter, rows.getLong(2));
                    }
                }
            }
            Map<String, long[]> buckets = new TreeMap<>();
            Map<String, Long> sums = new HashMap<>();
            int bucketCount = LatencyHistogram.BOUNDS_MILLIS.size() + 1;
            try (ResultSet rows = statement.executeQuery("SELECT operation, bucket, count, sum_nanos FROM latencies")) {
                while (rows.next()) {
                    String operation = rows.getString(1);
                    int bucket = rows.getInt(2);
                    if (bucket == SUM_BUCKET) {
                        sums.put(operation, rows.getLong(4));
                    } else if (bucket >= 0 && bucket < bucketCount) {
                        buckets.computeIfAbsent(operation, o -> new long[bucketCount])[bucket] = rows.getLong(3);
                    }
                }
            }
            TreeMap<String, LatencyHistogram> latencies = new TreeMap<>();
            buckets.forEach((operation, counts) ->
                    latencies.put(operation, new LatencyHistogram(counts, sums.getOrDefault(operation, 0L))));
            TreeMap<RemoteRequest, Long> remoteRequests = new TreeMap<>();
            try (ResultSet rows = statement.executeQuery("SELECT remote, method, count FROM remote_requests")) {
                while (rows.next()) {
                    remoteRequests.put(new RemoteRequest(rows.getString(1), rows.getString(2)), rows.getLong(3));
                }
            }
            TreeMap<String, Instant> lastSuccesses = new TreeMap<>();
            try (ResultSet rows = statement.executeQuery("SELECT job, epoch_millis FROM last_successes")) {
                while (rows.next()) {
                    lastSuccesses.put(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)));
                }
            }
            return new MetricsSnapshot(counters, latencies, remoteRequests, lastSuccesses);
        } catch (SQLException e) {
            throw new MetricsException(file, "read", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new MetricsException(file, "close", e);
        }
    }

    @Override
    public String toString() {
        return "CacheMetrics[" + file + "]";
    }

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }

    /** {@link SqliteTransaction#immediate}: a deferred transaction could not upgrade to a writer under WAL contention. */
    private synchronized void write(String operation, SqlWork work) {
        try {
            SqliteTransaction.immediate(connection, c -> {
                work.run();
                return null;
            });
        } catch (SQLException e) {
            throw new MetricsException(file, operation, e);
        }
    }
}
