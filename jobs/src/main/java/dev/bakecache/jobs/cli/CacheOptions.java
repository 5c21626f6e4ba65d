package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /** These options as given, for running a job command with the same configuration and cache. */
    List<String> asArguments() {
        List<String> arguments = new ArrayList<>();
        if (config != null) {
            arguments.addAll(List.of("--config", config.toAbsolutePath().toString()));
        }
        if (cache != null) {
            arguments.addAll(List.of("--cache", cache.toAbsolutePath().toString()));
        }
        return arguments;
    }
}
