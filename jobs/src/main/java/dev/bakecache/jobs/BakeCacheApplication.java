package dev.bakecache.jobs;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring side of bake-cache: the job repository and one configuration class per job, found
 * by component scan below this package. It is booted by {@link BakeCache} once the command line
 * has been parsed and the cache configuration validated.
 */
@SpringBootApplication
public class BakeCacheApplication {
}
