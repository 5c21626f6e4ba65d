package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.store.CasLayout;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Options every job takes: where the configuration and the cache are. */
public final class CacheOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "cache configuration (YAML, the plan's schema); defaults apply without it")
    Path config;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "cache root; overrides cache.local.path. Ingest and migrate create a cache there;"
                    + " jobs that only read the local cache refuse a DIR that holds none")
    Path cache;

    /** @throws dev.bakecache.engine.config.ConfigException naming the file and key at fault */
    public CacheConfig load() {
        CacheConfig loaded = config == null ? ConfigLoader.defaults() : ConfigLoader.load(config);
        return cache == null ? loaded : loaded.withLocalPath(cache);
    }

    /**
     * Why the cache root of {@code loaded} is no cache, naming the root as the user gave it; empty
     * when it holds one. Only looks: a mistyped root must come out of this as it went in.
     */
    Optional<String> whyNoCache(CacheConfig loaded) {
        CasLayout layout = new CasLayout(loaded.local().path());
        if (layout.exists()) {
            return Optional.empty();
        }
        String root = cache != null ? "--cache " + cache
                : config != null ? "cache.local.path " + loaded.local().path() + " (--config " + config + ")"
                : "the default cache root " + loaded.local().path() + " (no --cache or --config given)";
        return Optional.of(root + " holds no cache (no " + layout.casDir().getFileName()
                + "/ directory); check the path, or ingest into it first");
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
