package dev.bakecache.engine.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The whole configuration: the {@code cache:} section of the config file plus its top-level
 * {@code schedules:} section. Immutable; {@link ConfigLoader} reads it from YAML, and every part
 * has a {@code defaults()} matching the plan's example.
 *
 * <p>The constructor checks what spans sections: remote names are unique, a strategy that reads
 * remotes has one, a write mode that writes locally has a strategy with a local tier, and each
 * schedule looks like a cron expression. Its problem keys are full
 * dotted keys ({@code cache.remotes[1].name}, {@code schedules.gc}).
 *
 * @param cas content addressing, compression, chunking
 * @param local the local tier
 * @param remotes the remote tiers, in the order given
 * @param parallelism transfer and hashing concurrency
 * @param verification manifest signing
 * @param strategy which tiers are used, in what order
 * @param writeMode which of those tiers a write reaches; null for the strategy's default,
 *     {@link #defaultWriteMode}
 * @param schedules job name to cron expression (5, 6 or 7 fields), in the order given; only the
 *     field count is checked here, the scheduler parses them
 */
public record CacheConfig(CasConfig cas, LocalConfig local, List<RemoteConfig> remotes,
                          ParallelismConfig parallelism, VerificationConfig verification,
                          CacheStrategy strategy, WriteMode writeMode, Map<String, String> schedules) {

    public static final CacheStrategy DEFAULT_STRATEGY = CacheStrategy.LOCAL_FIRST;

    public CacheConfig {
        Objects.requireNonNull(cas, "cas");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(parallelism, "parallelism");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(strategy, "strategy");
        writeMode = writeMode == null ? defaultWriteMode(strategy) : writeMode;
        remotes = remotes == null ? List.of() : List.copyOf(remotes);
        schedules = schedules == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(schedules));

        Checks checks = new Checks();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < remotes.size(); i++) {
            String name = remotes.get(i).name();
            Integer first = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
            if (first != null) {
                checks.add("cache.remotes[" + i + "].name",
                        "'" + name + "' is already the name of cache.remotes[" + first + "]; names must be unique");
            }
        }
        if (remotes.isEmpty() && (strategy == CacheStrategy.REMOTE_ONLY || strategy == CacheStrategy.REMOTE_FIRST)) {
            checks.add("cache.strategy", strategy.id() + " needs at least one entry in cache.remotes");
        }
        if (writeMode == WriteMode.WRITE_LOCAL && strategy == CacheStrategy.REMOTE_ONLY) {
            checks.add("cache.writeMode", "writeLocal writes only to the local tier, which strategy remoteOnly does"
                    + " not use; use writeThrough or a strategy with a local tier");
        }
        schedules.forEach((job, cron) -> checkCron(checks, job, cron));
        checks.throwIfAny();
    }

    /** A configuration with the strategy's default write mode. */
    public CacheConfig(CasConfig cas, LocalConfig local, List<RemoteConfig> remotes, ParallelismConfig parallelism,
                       VerificationConfig verification, CacheStrategy strategy, Map<String, String> schedules) {
        this(cas, local, remotes, parallelism, verification, strategy, null, schedules);
    }

    /**
     * The write mode when {@code cache.writeMode} is not given: writeLocal, so an ingest stays on
     * local disk and the replicate job moves blobs to the remotes, as before write modes existed;
     * writeThrough under remoteOnly, the only mode that stores anything there (docs/adr/0012).
     */
    public static WriteMode defaultWriteMode(CacheStrategy strategy) {
        return strategy == CacheStrategy.REMOTE_ONLY ? WriteMode.WRITE_THROUGH : WriteMode.WRITE_LOCAL;
    }

    /** Everything at its default: local-first, write-local on {@code .bake/cache}, no remotes, no schedules. */
    public static CacheConfig defaults() {
        return new CacheConfig(CasConfig.defaults(), LocalConfig.defaults(), List.of(), ParallelismConfig.defaults(),
                VerificationConfig.defaults(), DEFAULT_STRATEGY, Map.of());
    }

    /** This configuration with the local tier at {@code path}: the CLI's {@code --cache DIR}. */
    public CacheConfig withLocalPath(Path path) {
        return withLocal(local.withPath(path));
    }

    public CacheConfig withLocal(LocalConfig newLocal) {
        return new CacheConfig(cas, newLocal, remotes, parallelism, verification, strategy, writeMode, schedules);
    }

    /**
     * This configuration with manifests neither signed nor checked, so no secret is needed: for
     * jobs that only count or delete manifests ({@code stats}, {@code clean}).
     */
    public CacheConfig withoutManifestVerification() {
        return new CacheConfig(cas, local, remotes, parallelism,
                new VerificationConfig(false, verification.algorithm(), verification.secretEnv()), strategy, writeMode,
                schedules);
    }

    /** This configuration with another strategy and the same write mode. */
    public CacheConfig withStrategy(CacheStrategy newStrategy) {
        return new CacheConfig(cas, local, remotes, parallelism, verification, newStrategy, writeMode, schedules);
    }

    public CacheConfig withWriteMode(WriteMode newWriteMode) {
        return new CacheConfig(cas, local, remotes, parallelism, verification, strategy, newWriteMode, schedules);
    }

    /** The remote called {@code name} (case-insensitive), as used by {@code replicate --to NAME}. */
    public Optional<RemoteConfig> remote(String name) {
        return remotes.stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * One line for a job's start-up log, e.g. {@code strategy localFirst, writeLocal; local .bake/cache
     * (max 20 GiB, lru, sqlite index); blake3; zstd level 3 from 1 KiB; gear chunks 1 MiB/4 MiB/16 MiB
     * above 10 MiB; remotes teamS3 s3://my-build-cache/bake/; manifests signed (hmacSha256,
     * $BAKE_CACHE_SECRET)}.
     */
    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add("strategy " + strategy.id() + ", " + writeMode.id());
        parts.add("local " + local.path() + " (max " + ByteSize.format(local.maxSize()) + ", "
                + local.evictionPolicy().id() + ", " + local.index().id() + " index)");
        parts.add(cas.hashAlgorithm().id());
        CompressionConfig compression = cas.compression();
        parts.add(compression.enabled()
                ? "zstd level " + compression.level() + " from " + ByteSize.format(compression.threshold())
                : "no compression");
        ChunkingConfig chunking = cas.chunking();
        parts.add(chunking.enabled()
                ? chunking.algorithm().id() + " chunks " + ByteSize.format(chunking.minChunk()) + "/"
                        + ByteSize.format(chunking.avgChunk()) + "/" + ByteSize.format(chunking.maxChunk())
                        + " above " + ByteSize.format(chunking.threshold())
                : "no chunking");
        parts.add(remotes.isEmpty() ? "no remotes" : "remotes " + remotes.stream()
                .map(r -> r.name() + " " + r.location()).collect(Collectors.joining(", ")));
        parts.add(verification.enabled()
                ? "manifests signed (" + verification.algorithm().id() + ", $" + verification.secretEnv() + ")"
                : "manifests not verified");
        return String.join("; ", parts);
    }

    private static void checkCron(Checks checks, String job, String cron) {
        String key = "schedules." + job;
        if (!checks.require(job != null && !job.isBlank(), "schedules", "a schedule needs a job name")
                || !checks.require(cron != null && !cron.isBlank(), key, "needs a cron expression such as '0 3 * * *'")) {
            return;
        }
        int fields = cron.trim().split("\\s+").length;
        checks.require(fields >= 5 && fields <= 7, key, "'" + cron + "' is not a cron expression: expected 5, 6 or 7"
                + " space-separated fields (e.g. '0 3 * * *'), got " + fields);
    }
}
