package dev.bakecache.jobs.replicate;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.manifest.ManifestSigner;
import dev.bakecache.engine.replicate.Replicator;
import dev.bakecache.engine.tier.LocalTier;
import dev.bakecache.engine.tier.Tier;
import dev.bakecache.engine.layered.Tiers;
import org.springframework.beans.factory.ObjectProvider;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiers a replicate run copies between, opened once per run and shared by the partitions'
 * threads (each remote keeps one client and one request counter). The local tier is the
 * context's {@link LocalCache}, which the context closes; remotes are closed here.
 */
final class ReplicationTiers implements AutoCloseable {

    private final CacheConfig config;
    private final ManifestSigner signer;
    private final ObjectProvider<LocalCache> localCache;
    private final Map<String, Tier> open = new LinkedHashMap<>();
    private final List<Tier> owned = new ArrayList<>();

    ReplicationTiers(CacheConfig config, ObjectProvider<LocalCache> localCache) {
        this.config = config;
        this.signer = config.verification().enabled()
                ? ManifestSigner.fromEnvironment(config.verification().secretEnv(), System.getenv())
                : null;
        this.localCache = localCache;
    }

    synchronized Tier get(String name) throws IOException {
        Tier tier = open.get(name);
        if (tier == null) {
            if (name.equalsIgnoreCase(RemoteConfig.LOCAL_TIER)) {
                tier = new LocalTier(localCache.getObject());
            } else {
                tier = Tiers.open(config, name, System.getenv());
                owned.add(tier);
            }
            open.put(name, tier);
        }
        return tier;
    }

    /** A replicator of its own for each step: it caches the target's manifest keys. */
    Replicator replicator(String from, String to) throws IOException {
        return new Replicator(get(from), get(to), signer);
    }

    /** {@code requests to teamS3: HEAD 0, LIST 512, GET 0, PUT 120, DELETE 0} for every remote opened. */
    synchronized String requestSummary() {
        List<String> parts = new ArrayList<>();
        for (Tier tier : owned) {
            parts.add("requests to " + tier.name() + ": " + tier.requests());
        }
        return String.join("; ", parts);
    }

    synchronized List<Tier> remotes() {
        return List.copyOf(owned);
    }

    @Override
    public synchronized void close() throws IOException {
        Tiers.closeAll(owned);
    }
}
