package dev.bakecache.jobs;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;

/**
 * The Spring side of bake-cache: the job repository and one configuration class per job, found
 * by component scan below this package. It is booted by {@link BakeCache} once the command line
 * has been parsed and the cache configuration validated.
 *
 * <p>The auto-configurations are listed rather than discovered: a CLI starts for every job, and
 * evaluating Boot's full list of candidates costs more than the job itself on a warm cache.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class,
        DataSourceTransactionManagerAutoConfiguration.class, BatchJdbcAutoConfiguration.class})
@ComponentScan
public class BakeCacheApplication {
}
