package dev.bakecache.jobs.repository;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * The shared job repository: Spring Batch's JDBC repository on PostgreSQL, chosen by
 * {@link JobRepositoryLocation#URL_ENV}. Machines sharing it see each other's runs, so a failed
 * run is resumed wherever the job runs next. The schema is created on first start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = JobRepositoryLocation.KIND_PROPERTY, havingValue = "postgresql")
public class PostgresJobRepositoryConfig {

    static final String SCHEMA = "org/springframework/batch/core/schema-postgresql.sql";

    @Bean(destroyMethod = "close")
    DataSource dataSource(@Value("${bake.job-repository.url}") String url,
                          @Value("${bake.job-repository.user}") String user,
                          @Value("${bake.job-repository.password}") String password) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(user);
        dataSource.setPassword(password);
        dataSource.setMaximumPoolSize(4); // one job at a time per process; a few for the repository's own queries
        dataSource.setPoolName("bake-job-repository");
        PostgresSchema.createIfMissing(dataSource, "BATCH_JOB_INSTANCE", SCHEMA, "job repository (" + url + ")");
        return dataSource;
    }
}
