package dev.bakecache.jobs.launch;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;

/**
 * The Spring side of bake-cache: the job repository and one configuration class per job, found
 * by component scan below {@code dev.bakecache.jobs}. The {@link JobRunner} boots it once the
 * command line has been parsed and the cache configuration validated.
 *
 * <p>It sits here, beside the runner that boots it, rather than in the root package, and names
 * the package to scan as a string: the root package holds the main class, which depends on the
 * CLI, which depends on this package, so a reference back up would close a package cycle.
 *
 * <p>The auto-configurations are listed rather than discovered: a CLI starts for every job, and
 * evaluating Boot's full list of candidates costs more than the job itself on a warm cache.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class,
        DataSourceTransactionManagerAutoConfiguration.class, BatchJdbcAutoConfiguration.class})
@ComponentScan("dev.bakecache.jobs")
public class BakeCacheApplication {
}
