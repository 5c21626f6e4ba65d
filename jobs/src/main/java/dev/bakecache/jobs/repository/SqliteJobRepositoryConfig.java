package dev.bakecache.jobs.repository;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The embedded default job repository: Spring Batch's JDBC repository on an SQLite file under
 * the cache root, so a job runs and restarts on a fresh machine with no server. Boot's batch
 * auto-configuration builds the JobRepository and JobOperator on this DataSource.
 *
 * <p>Boot's schema initializer cannot "create only if missing" for SQLite, so the schema that
 * ships in spring-batch-core is applied here, once, under a file lock in case several processes
 * start on a fresh cache at the same moment.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = JobRepositoryLocation.KIND_PROPERTY, havingValue = "sqlite")
public class SqliteJobRepositoryConfig {

    static final String SCHEMA = "org/springframework/batch/core/schema-sqlite.sql";

    @Bean
    DataSource dataSource(@Value("${bake.job-repository.sqlite}") Path file) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(30_000); // several bake-cache processes may share one cache
        // BEGIN IMMEDIATE: a deferred transaction that later writes can fail at once with SQLITE_BUSY
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        createSchemaIfMissing(dataSource, file);
        return dataSource;
    }

    private static void createSchemaIfMissing(DataSource dataSource, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock();
                 Connection connection = dataSource.getConnection()) {
                if (!hasBatchTables(connection)) {
                    new ResourceDatabasePopulator(new ClassPathResource(SCHEMA)).populate(connection);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the job repository " + file, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the job repository " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasBatchTables(Connection connection) throws SQLException {
        try (var statement = connection.prepareStatement(
                "select count(*) from sqlite_master where type = 'table' and name = 'BATCH_JOB_INSTANCE'");
             ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }
}
