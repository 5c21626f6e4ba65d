package dev.bakecache.jobs;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.store.CasLayout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import java.io.IOException;

/**
 * The engine as the jobs see it. The validated {@link CacheConfig} and the progress listener are
 * registered by the CLI before the context starts ({@link dev.bakecache.jobs.launch.JobRunner}).
 */
@Configuration(proxyBeanMethods = false)
public class CacheBeans {

    @Bean(destroyMethod = "close")
    @Lazy // only jobs that touch the local tier open it
    LocalCache localCache(CacheConfig config) throws IOException {
        return LocalCache.open(config, System.getenv());
    }

    @Bean(destroyMethod = "close")
    @Lazy
    CacheMetrics cacheMetrics(CacheConfig config) {
        return CacheMetrics.open(new CasLayout(config.local().path()).metricsFile());
    }
}
