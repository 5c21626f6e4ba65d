package dev.bakecache.engine.layered;

import dev.bakecache.engine.compress.BlobStreams;
import dev.bakecache.engine.concurrent.BoundedParallel;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.store.BlobCorruptedException;
import dev.bakecache.engine.store.BlobNotFoundException;
import dev.bakecache.engine.store.BlobStore;
import dev.bakecache.engine.store.TierUnavailableException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads from the tiers in the order {@code cache.strategy} gives (docs/adr/0012): localFirst reads
 * local then each remote, remoteFirst each remote then local, localOnly and remoteOnly only theirs;
 * writes go to the store it decorates. A hit in a later tier is promoted ({@link Promotion}).
 *
 * <p>{@link #get} hands content over only after checking all of it (it stages the stored bytes
 * in the local tier's {@code tmp/}, {@link StagedBlob}), so a corrupt copy is passed over with a
 * warning and the next tier asked; when every copy is corrupt, the stream fails on its first read.
 *
 * <p>Batch checks ({@link #containsMany}) ask the local tier first, then the remotes in parallel
 * for what it lacks, split by shard across up to {@code cache.parallelism.download} threads.
 *
 * @param writes where puts and deletes go: the tiers this store writes to
 */
record ReadFallbackBlobStore(BlobStore writes, TierRoles tiers, Promotion promotion, StagingArea staging,
                             int downloads) implements BlobStore {

    @Override
    public boolean contains(Digest digest) throws IOException {
        for (TierStore tier : tiers.readOrder()) {
            if (tier.store().contains(digest)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<Digest> containsMany(Collection<Digest> digests) throws IOException {
        Set<Digest> present = ConcurrentHashMap.newKeySet();
        if (tiers.local() != null) {
            present.addAll(tiers.local().store().containsMany(digests));
        }
        List<Digest> unknown = digests.stream().filter(d -> !present.contains(d)).distinct().toList();
        List<TierStore> remotes = tiers.available(tiers.remotes());
        if (unknown.isEmpty() || remotes.isEmpty()) {
            return new HashSet<>(present);
        }
        record Check(TierStore remote, List<Digest> slice) {
        }
        List<Check> checks = new ArrayList<>();
        for (List<Digest> slice : slicesByShard(unknown, downloads)) {
            remotes.forEach(remote -> checks.add(new Check(remote, slice)));
        }
        BoundedParallel.forEach(checks, downloads,
                check -> present.addAll(check.remote().store().containsMany(check.slice())));
        return new HashSet<>(present);
    }

    /**
     * Whole shards per slice, so a remote that lists shards for large batches lists each one
     * once however the batch is split.
     */
    private static List<List<Digest>> slicesByShard(List<Digest> digests, int slices) {
        List<List<Digest>> result = new ArrayList<>();
        Map<String, List<Digest>> byShard = digests.stream()
                .collect(Collectors.groupingBy(Digest::shardPrefix, TreeMap::new, Collectors.toList()));
        int next = 0;
        for (List<Digest> shard : byShard.values()) {
            if (result.size() < slices) {
                result.add(new ArrayList<>(shard));
            } else {
                result.get(next++ % slices).addAll(shard);
            }
        }
        return result;
    }

    @Override
    public InputStream get(Digest digest) throws IOException {
        BlobCorruptedException corruption = null;
        for (int position = 0; position < tiers.readOrder().size(); position++) {
            TierStore source = tiers.readOrder().get(position);
            StagedBlob staged;
            try {
                staged = staging.stage(source.store().openStored(digest.hash()), digest.hash(), source.name());
            } catch (BlobNotFoundException | TierUnavailableException notHere) {
                continue;
            } catch (BlobCorruptedException e) {
                tiers.warnings().corrupt(source.name(), digest.hash(), e);
                corruption = e;
                continue;
            }
            try {
                promotion.promote(staged, source, position);
                return BlobStreams.decoding(Files.newInputStream(staged.file(), StandardOpenOption.DELETE_ON_CLOSE));
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(staged.file());
                throw e;
            }
        }
        if (corruption != null) {
            return failingStream(corruption);
        }
        throw new BlobNotFoundException(digest, tiers.description());
    }

    /** Stands for a blob whose every copy is corrupt: fails like a corrupt tier's stream would, only sooner. */
    private static InputStream failingStream(BlobCorruptedException corruption) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                throw corruption;
            }
        };
    }

    @Override
    public boolean put(Digest digest, InputStream content) throws IOException {
        return writes.put(digest, content);
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        return writes.delete(digest);
    }

    @Override
    public String toString() {
        return tiers.description();
    }
}
