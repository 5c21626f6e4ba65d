package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every job takes: where the configuration and the cache are. */
public final class CacheOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "cache configuration (YAML, the plan's schema); defaults apply without it")
    Path config;

    @Option(names = "--cache", paramLabel = "DIR", description = "cache root; overrides cache.local.path")
    Path cache;

    /** @throws dev.bakecache.engine.config.ConfigException naming the file and key at fault */
    public CacheConfig load() {
        CacheConfig loaded = config == null ? ConfigLoader.defaults() : ConfigLoader.load(config);
        return cache == null ? loaded : loaded.withLocalPath(cache);
    }
}
