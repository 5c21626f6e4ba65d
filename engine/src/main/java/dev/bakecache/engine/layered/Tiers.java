package dev.bakecache.engine.layered;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.remote.GcsTier;
import dev.bakecache.engine.remote.S3Tier;
import dev.bakecache.engine.store.CasLayout;

import dev.bakecache.engine.tier.LocalTier;
import dev.bakecache.engine.tier.Tier;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Opens a tier by the name jobs and the CLI use: {@code local} or a configured remote's name. */
public final class Tiers {

    private Tiers() {
    }

    /**
     * @param environment where the manifest secret is looked up, for the local tier
     * @throws IllegalArgumentException when no tier has that name; the message lists the names
     */
    public static Tier open(CacheConfig config, String name, Map<String, String> environment) throws IOException {
        if (name.equalsIgnoreCase(RemoteConfig.LOCAL_TIER)) {
            return new LocalTier(LocalCache.open(config, environment));
        }
        RemoteConfig remote = config.remote(name).orElseThrow(() -> new IllegalArgumentException(
                "no tier named '" + name + "'; configured tiers: " + names(config)));
        CompressionPolicy compression = new CompressionPolicy(config.cas().compression());
        CasLayout layout = new CasLayout(config.local().path());
        int parallelism = config.parallelism().upload();
        return switch (remote.type()) {
            case S3 -> S3Tier.open(remote, config.cas().hashAlgorithm(), compression, layout.tmpDir(), parallelism);
            case GCS -> GcsTier.open(remote, config.cas().hashAlgorithm(), compression, layout.tmpDir(), parallelism);
        };
    }

    /** {@code local, teamS3, archiveGcs} */
    public static String names(CacheConfig config) {
        return Stream.concat(Stream.of(RemoteConfig.LOCAL_TIER), config.remotes().stream().map(RemoteConfig::name))
                .collect(Collectors.joining(", "));
    }

    /** Closes every tier, even after one fails; throws the first failure, the others added as suppressed. */
    public static void closeAll(Collection<? extends Tier> tiers) throws IOException {
        IOException first = null;
        for (Tier tier : tiers) {
            try {
                tier.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
