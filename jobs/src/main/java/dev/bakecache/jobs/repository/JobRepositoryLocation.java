package dev.bakecache.jobs.repository;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the Spring Batch job repository lives: an SQLite file under the cache root (the default:
 * one machine, no server), or a PostgreSQL database named by {@code BAKE_CACHE_JOB_REPOSITORY_URL}
 * so several machines share job history, restarts and the schedule. Environment variables rather
 * than a config section: the URL and password differ per deployment, not per cache.
 *
 * @param jdbcUrl {@code jdbc:postgresql://...}, or null for the SQLite file
 * @param sqliteFile the SQLite file, used when {@code jdbcUrl} is null
 */
public record JobRepositoryLocation(String jdbcUrl, String user, String password, Path sqliteFile) {

    public static final String URL_ENV = "BAKE_CACHE_JOB_REPOSITORY_URL";
    public static final String USER_ENV = "BAKE_CACHE_JOB_REPOSITORY_USER";
    public static final String PASSWORD_ENV = "BAKE_CACHE_JOB_REPOSITORY_PASSWORD";

    /** The Spring property that selects {@link SqliteJobRepositoryConfig} or {@link PostgresJobRepositoryConfig}. */
    static final String KIND_PROPERTY = "bake.job-repository.kind";

    /** @throws IllegalArgumentException naming {@link #URL_ENV} when it is set to something other than PostgreSQL */
    public static JobRepositoryLocation of(Path cacheRoot, Map<String, String> env) {
        String url = env.get(URL_ENV);
        if (url == null || url.isBlank()) {
            return new JobRepositoryLocation(null, null, null, cacheRoot.resolve("jobs").resolve("repository.sqlite"));
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(URL_ENV + "='" + url + "': only PostgreSQL is supported,"
                    + " e.g. jdbc:postgresql://db.example:5432/bake; unset it for the local SQLite repository");
        }
        return new JobRepositoryLocation(url, env.getOrDefault(USER_ENV, ""), env.getOrDefault(PASSWORD_ENV, ""), null);
    }

    public boolean shared() {
        return jdbcUrl != null;
    }

    /** The Spring properties the repository configurations read. */
    public Map<String, Object> springProperties() {
        return shared()
                ? Map.of(KIND_PROPERTY, "postgresql", "bake.job-repository.url", jdbcUrl,
                        "bake.job-repository.user", user, "bake.job-repository.password", password)
                : Map.of(KIND_PROPERTY, "sqlite", "bake.job-repository.sqlite", sqliteFile.toString());
    }

    /** For messages: never the password. */
    public String describe() {
        return shared() ? jdbcUrl : sqliteFile.toString();
    }
}
