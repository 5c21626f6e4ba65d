package dev.bakecache.engine.layered;

import dev.bakecache.engine.compress.BlobStreams;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.CacheStrategy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.WriteMode;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.DigestMismatchException;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.store.BlobCorruptedException;
import dev.bakecache.engine.store.BlobNotFoundException;
import dev.bakecache.engine.store.BlobStore;
import dev.bakecache.engine.store.CasLayout;
import dev.bakecache.engine.store.StoredBlob;
import dev.bakecache.engine.store.StoredForm;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The tiers of a cache as one {@link BlobStore}: an optional local tier and an ordered list of
 * remotes, read in the order {@code cache.strategy} gives and written as {@code cache.writeMode}
 * says (docs/adr/0012-layered-tiers.md).
 *
 * <ul>
 * <li><b>Reads</b> ask the tiers in strategy order: localFirst reads local then each remote,
 *     remoteFirst each remote then local, localOnly and remoteOnly only theirs. A hit in a later
 *     tier is promoted: copied in stored form, checked, to the earlier tiers this store writes to,
 *     and to the local tier when it writes there (so under remoteFirst too).
 *     {@link #get} hands content over only after checking all of it (it stages the stored bytes
 *     in the local tier's {@code tmp/}), so a corrupt copy is passed over with a warning and the
 *     next tier asked; when every copy is corrupt, the stream fails on its first read.
 *     {@link #openStored} is unchecked, as for any tier, and promotes nothing.
 * <li><b>Writes</b> go first to the primary tier (the local tier when the strategy uses it, else
 *     the first remote), then, with writeThrough, from there to every remote the strategy uses;
 *     with writeLocal only to the local tier, and remotes receive blobs through
 *     {@link #replicate}.
 * <li><b>Failing remotes</b> (I/O error, timeout, refused connection, HTTP error) are reported
 *     once through {@link TierWarnings} and skipped for the rest of the run; the answer is then
 *     the other tiers' answer, so a build never fails because a remote is down. Failures of the
 *     local tier are errors as usual.
 * <li>{@link #delete} removes the blob from every tier this store writes to: the tiers it
 *     manages. With writeLocal, remote copies stay until the remote's own gc removes them, and
 *     {@link #contains} may still see them.
 * <li>{@link #storedSize}, {@link #list} and {@link #listShard} describe the primary tier alone:
 *     listing every tier would cost a full bucket listing per remote for an answer nobody needs.
 * <li>{@code disabled} uses no tier: nothing is contained, a put stores nothing (and reads no
 *     content), a get throws {@link BlobNotFoundException}.
 * </ul>
 *
 * <p>Batch checks ({@link #containsMany}) ask the local tier first, then the remotes in
 * parallel for what it lacks, split by shard across up to {@code cache.parallelism.download}
 * threads; copies to remotes run on up to {@code cache.parallelism.upload} threads, copies from
 * them on up to {@code download}.
 */
public final class LayeredBlobStore implements BlobStore {

    private final TierStore local;
    private final List<TierStore> readOrder;
    /** The tiers the strategy uses, primary first. */
    private final List<TierStore> inUse;
    private final List<TierStore> writeTargets;
    private final String description;
    private final HashAlgorithm algorithm;
    private final Path stagingDir;
    private final int downloads;
    private final int uploads;
    private final TierWarnings warnings;

    /**
     * @param local the local tier's store of this kind, or null for none; left out when the
     *     strategy does not use it
     * @param remotes the remotes' stores of this kind, in configured order; left out when the
     *     strategy does not use them
     * @param warnings shared with the other stores of the run, so a dead remote is reported once
     */
    public LayeredBlobStore(CacheConfig config, BlobStore local, List<TierStore> remotes, TierWarnings warnings) {
        CacheStrategy strategy = config.strategy();
        this.local = local != null && strategy.usesLocal() ? new TierStore(RemoteConfig.LOCAL_TIER, local) : null;
        List<TierStore> localTier = this.local == null ? List.of() : List.of(this.local);
        List<TierStore> usedRemotes = strategy.usesRemotes() ? List.copyOf(remotes) : List.of();
        this.readOrder = strategy == CacheStrategy.REMOTE_FIRST
                ? concat(usedRemotes, localTier) : concat(localTier, usedRemotes);
        this.inUse = concat(localTier, usedRemotes);
        this.writeTargets = config.writeMode() == WriteMode.WRITE_LOCAL ? localTier : inUse;
        this.description = "tiers " + readOrder + " (" + strategy.id() + ", " + config.writeMode().id() + ")";
        this.algorithm = config.cas().hashAlgorithm();
        this.stagingDir = new CasLayout(config.local().path()).tmpDir();
        this.downloads = config.parallelism().download();
        this.uploads = config.parallelism().upload();
        this.warnings = warnings;
    }

    private static List<TierStore> concat(List<TierStore> first, List<TierStore> then) {
        return Stream.concat(first.stream(), then.stream()).toList();
    }

    @Override
    public boolean contains(Digest digest) throws IOException {
        for (TierStore tier : available(readOrder)) {
            if (attempt(tier, store -> store.contains(digest)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<Digest> containsMany(Collection<Digest> digests) throws IOException {
        Set<Digest> present = ConcurrentHashMap.newKeySet();
        if (local != null) {
            present.addAll(local.store().containsMany(digests));
        }
        List<Digest> unknown = digests.stream().filter(d -> !present.contains(d)).distinct().toList();
        List<TierStore> remotes = available(readOrder).stream().filter(tier -> tier != local).toList();
        if (unknown.isEmpty() || remotes.isEmpty()) {
            return new HashSet<>(present);
        }
        List<Callable<Void>> checks = new ArrayList<>();
        for (List<Digest> slice : slicesByShard(unknown, downloads)) {
            for (TierStore remote : remotes) {
                checks.add(() -> {
                    if (!warnings.isUnavailable(remote.name())) {
                        attempt(remote, store -> store.containsMany(slice)).ifPresent(present::addAll);
                    }
                    return null;
                });
            }
        }
        runAll(downloads, checks);
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
        Optional<InputStream> content;
        try {
            content = fromFirstSound(readOrder, digest.hash(), (source, position) -> {
                Staged staged = stage(source.store().openStored(digest.hash()), digest.hash(), source.name());
                try {
                    promote(digest.hash(), staged.file(), promotionTargets(source, position, digest));
                    return BlobStreams.decoding(Files.newInputStream(staged.file(), StandardOpenOption.DELETE_ON_CLOSE));
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(staged.file());
                    throw e;
                }
            });
        } catch (BlobCorruptedException everyCopyCorrupt) {
            return failingStream(everyCopyCorrupt);
        }
        return content.orElseThrow(() -> new BlobNotFoundException(digest, description));
    }

    /**
     * The tiers this store writes to that were asked before {@code source} and missed, and the
     * local tier if it lacks the blob: under remoteFirst a remote hit fills the local tier too,
     * ready for when the remote is away.
     */
    private List<TierStore> promotionTargets(TierStore source, int position, Digest digest) throws IOException {
        List<TierStore> targets = new ArrayList<>(readOrder.subList(0, position));
        if (local != null && source != local && !targets.contains(local) && !local.store().contains(digest)) {
            targets.add(local);
        }
        targets.retainAll(writeTargets);
        return targets;
    }

    private void promote(String hash, Path stored, List<TierStore> targets) throws IOException {
        for (TierStore tier : available(targets)) {
            attempt(tier, store -> {
                try (InputStream in = Files.newInputStream(stored)) {
                    return store.putStored(hash, in);
                }
            });
        }
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

    /** Unchecked, like any tier's: the first tier in read order that has the blob. */
    @Override
    public InputStream openStored(String hash) throws IOException {
        for (TierStore tier : available(readOrder)) {
            try {
                Optional<InputStream> stored = attempt(tier, store -> store.openStored(hash));
                if (stored.isPresent()) {
                    return stored.get();
                }
            } catch (BlobNotFoundException notHere) {
                // ask the next tier
            }
        }
        throw new BlobNotFoundException(hash, description);
    }

    @Override
    public boolean put(Digest digest, InputStream content) throws IOException {
        Optional<TierStore> primary = first(writeTargets);
        if (primary.isEmpty()) {
            return false;
        }
        boolean written = attempt(primary.get(), store -> store.put(digest, content)).orElse(false);
        return copyToOtherTargets(primary.get(), List.of(digest)) || written;
    }

    @Override
    public Set<Digest> putMany(Map<Digest, BlobSource> blobs) throws IOException {
        Optional<TierStore> primary = first(writeTargets);
        if (primary.isEmpty()) {
            return Set.of();
        }
        Set<Digest> written = new HashSet<>(attempt(primary.get(), store -> store.putMany(blobs)).orElse(Set.of()));
        for (TierStore target : available(writeTargets)) {
            if (target != primary.get()) {
                written.addAll(copyMissing(primary.get(), target, blobs.keySet()).digests());
            }
        }
        return written;
    }

    /** @return whether any other write target received the blobs */
    private boolean copyToOtherTargets(TierStore primary, Collection<Digest> digests) throws IOException {
        boolean copied = false;
        for (TierStore target : available(writeTargets)) {
            if (target != primary) {
                copied |= !copyMissing(primary, target, digests).digests().isEmpty();
            }
        }
        return copied;
    }

    /**
     * Checks the stored bytes in the staging directory first, so a forged or damaged copy reaches
     * no tier; with no tier to write to, it is checked and dropped.
     */
    @Override
    public Digest putStored(String hash, InputStream stored) throws IOException {
        Staged staged = stage(stored, hash, "copy offered to the " + description);
        try {
            for (TierStore target : available(writeTargets)) {
                attempt(target, store -> {
                    try (InputStream in = Files.newInputStream(staged.file())) {
                        return store.putStored(hash, in);
                    }
                });
            }
            return staged.digest();
        } finally {
            Files.deleteIfExists(staged.file());
        }
    }

    /**
     * Copies to every remote the strategy uses the blobs among {@code digests} it lacks, from the
     * primary tier, whatever the write mode: how writeLocal's blobs reach the remotes, and how an
     * ingest's outputs reach them before its manifest does.
     *
     * @return for each remote that now holds every one of {@code digests}, how many it received;
     *     a remote that failed, or lacks a blob the primary tier could not supply soundly, is
     *     left out, so a caller can hold back a manifest that names them
     */
    public Map<String, Integer> replicate(Collection<Digest> digests) throws IOException {
        Map<String, Integer> complete = new LinkedHashMap<>();
        Optional<TierStore> primary = first(inUse);
        if (primary.isEmpty()) {
            return complete;
        }
        for (TierStore target : available(inUse)) {
            if (target != primary.get()) {
                Copied copied = copyMissing(primary.get(), target, digests);
                if (copied.complete()) {
                    complete.put(target.name(), copied.digests().size());
                }
            }
        }
        return complete;
    }

    /**
     * Brings into the local tier those of {@code digests} it lacks, each from the first remote
     * in read order with a sound copy: a restore's promotion, which needs every blob on local
     * disk to link or copy it from there.
     *
     * @return the digests no tier could supply
     * @throws IllegalStateException when this store has no local tier
     */
    public Set<Digest> fetch(Collection<Digest> digests) throws IOException {
        if (local == null) {
            throw new IllegalStateException("the " + description + " have no local tier to fetch into");
        }
        Set<Digest> present = local.store().containsMany(digests);
        List<TierStore> remotes = readOrder.stream().filter(tier -> tier != local).toList();
        Set<Digest> unavailable = ConcurrentHashMap.newKeySet();
        List<Callable<Void>> copies = new ArrayList<>();
        for (Digest digest : Set.copyOf(digests)) {
            if (present.contains(digest)) {
                continue;
            }
            copies.add(() -> {
                try {
                    // A failure while the local tier writes counts against the remote it reads
                    // from; a local disk that fails will fail the restore that follows anyway.
                    boolean copied = fromFirstSound(remotes, digest.hash(), (source, position) -> {
                        try (InputStream in = source.store().openStored(digest.hash())) {
                            return local.store().putStored(digest.hash(), in);
                        }
                    }).isPresent();
                    if (!copied) {
                        unavailable.add(digest);
                    }
                } catch (BlobCorruptedException everyCopyCorrupt) {
                    unavailable.add(digest);
                }
                return null;
            });
        }
        runAll(downloads, copies);
        return Set.copyOf(unavailable);
    }

    /** The blobs a copy delivered, and whether the target now has all it was asked to hold. */
    private record Copied(Set<Digest> digests, boolean complete) {
    }

    /** Copies in stored form the blobs {@code to} lacks from {@code from}, on the upload threads. */
    private Copied copyMissing(TierStore from, TierStore to, Collection<Digest> digests) throws IOException {
        Optional<Set<Digest>> present = attempt(to, store -> store.containsMany(digests));
        if (present.isEmpty()) {
            return new Copied(Set.of(), false);
        }
        Set<Digest> copied = ConcurrentHashMap.newKeySet();
        AtomicBoolean complete = new AtomicBoolean(true);
        List<Callable<Void>> copies = new ArrayList<>();
        for (Digest digest : Set.copyOf(digests)) {
            if (present.get().contains(digest)) {
                continue;
            }
            copies.add(() -> {
                if (copyOne(from, to, digest.hash())) {
                    copied.add(digest);
                } else {
                    complete.set(false);
                }
                return null;
            });
        }
        runAll(uploads, copies);
        return new Copied(Set.copyOf(copied), complete.get() && !warnings.isUnavailable(to.name()));
    }

    private boolean copyOne(TierStore from, TierStore to, String hash) throws IOException {
        if (warnings.isUnavailable(to.name()) || warnings.isUnavailable(from.name())) {
            return false;
        }
        try {
            Optional<InputStream> stored = attempt(from, store -> store.openStored(hash));
            if (stored.isEmpty()) {
                return false;
            }
            try (InputStream in = stored.get()) {
                return attempt(to, store -> store.putStored(hash, in)).isPresent();
            }
        } catch (BlobCorruptedException e) {
            warnings.corrupt(from.name(), hash, e); // never spread a damaged copy
            return false;
        } catch (BlobNotFoundException goneMeanwhile) {
            return false;
        }
    }

    @Override
    public void recordUse(Collection<Digest> digests) throws IOException {
        for (TierStore target : available(writeTargets)) {
            attempt(target, store -> {
                store.recordUse(digests);
                return true;
            });
        }
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        boolean deleted = false;
        for (TierStore target : available(writeTargets)) {
            deleted |= attempt(target, store -> store.delete(digest)).orElse(false);
        }
        return deleted;
    }

    /** In the primary tier. */
    @Override
    public OptionalLong storedSize(Digest digest) throws IOException {
        Optional<TierStore> primary = first(inUse);
        return primary.isEmpty() ? OptionalLong.empty()
                : attempt(primary.get(), store -> store.storedSize(digest)).orElse(OptionalLong.empty());
    }

    /** The primary tier's blobs. */
    @Override
    public Stream<StoredBlob> list() throws IOException {
        Optional<TierStore> primary = first(inUse);
        return primary.isEmpty() ? Stream.empty() : primary.get().store().list();
    }

    /** The primary tier's blobs of the shard. */
    @Override
    public Stream<StoredBlob> listShard(String shard) throws IOException {
        Optional<TierStore> primary = first(inUse);
        return primary.isEmpty() ? Stream.empty() : primary.get().store().listShard(shard);
    }

    @Override
    public String toString() {
        return description;
    }

    private List<TierStore> available(List<TierStore> tiers) {
        return tiers.stream().filter(tier -> !warnings.isUnavailable(tier.name())).toList();
    }

    private Optional<TierStore> first(List<TierStore> tiers) {
        return available(tiers).stream().findFirst();
    }

    @FunctionalInterface
    private interface TierCall<T> {
        T apply(BlobStore store) throws IOException;
    }

    /**
     * Runs {@code call} on the tier. A remote's failure marks it unavailable and gives an empty
     * result; a missing, corrupt or mismatched blob is an answer, not a failure, and is thrown
     * as it is, as is every failure of the local tier.
     */
    private <T> Optional<T> attempt(TierStore tier, TierCall<T> call) throws IOException {
        try {
            return Optional.of(call.apply(tier.store()));
        } catch (BlobNotFoundException | BlobCorruptedException | DigestMismatchException answer) {
            throw answer;
        } catch (IOException | UncheckedIOException e) {
            if (tier == local) {
                throw e;
            }
            warnings.unavailable(tier.name(), e);
            return Optional.empty();
        }
    }

    @FunctionalInterface
    private interface SourceRead<T> {
        /** @param position the source's place in the list it was taken from */
        T read(TierStore source, int position) throws IOException;
    }

    /**
     * Reads the blob from the first source that has a sound copy, passing over sources that lack
     * it, hold a corrupt copy (warned) or fail (warned once).
     *
     * @return empty when no source has the blob
     * @throws BlobCorruptedException the last corruption seen, when every copy found was corrupt
     */
    private <T> Optional<T> fromFirstSound(List<TierStore> sources, String hash, SourceRead<T> read)
            throws IOException {
        BlobCorruptedException corruption = null;
        for (int i = 0; i < sources.size(); i++) {
            TierStore source = sources.get(i);
            if (warnings.isUnavailable(source.name())) {
                continue;
            }
            int position = i;
            try {
                Optional<T> result = attempt(source, store -> read.read(source, position));
                if (result.isPresent()) {
                    return result;
                }
            } catch (BlobNotFoundException notHere) {
                // ask the next tier
            } catch (BlobCorruptedException e) {
                warnings.corrupt(source.name(), hash, e);
                corruption = e;
            }
        }
        if (corruption != null) {
            throw corruption;
        }
        return Optional.empty();
    }

    private record Staged(Path file, Digest digest) {
    }

    /** Copies stored bytes to the staging directory and checks them there; nothing stays behind on failure. */
    private Staged stage(InputStream stored, String hash, String where) throws IOException {
        Files.createDirectories(stagingDir);
        Path file = Files.createTempFile(stagingDir, "layered-" + hash.substring(0, Math.min(16, hash.length())) + "-",
                ".part");
        try (stored) {
            Files.copy(stored, file, StandardCopyOption.REPLACE_EXISTING);
            return new Staged(file, StoredForm.verify(file, algorithm, hash, "copy of " + hash + " from " + where));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Runs the tasks on up to {@code threads} threads and rethrows the first failure. */
    private static void runAll(int threads, List<Callable<Void>> tasks) throws IOException {
        if (tasks.size() <= 1) {
            for (Callable<Void> task : tasks) {
                call(task);
            }
            return;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()))) {
            List<Future<Void>> running = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                running.add(pool.submit(task));
            }
            IOException first = null;
            for (Future<Void> done : running) {
                try {
                    done.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException unchecked) {
                        throw unchecked;
                    }
                    if (first == null) {
                        first = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    pool.shutdownNow();
                    throw new InterruptedIOException("interrupted while working on several tiers");
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private static void call(Callable<Void> task) throws IOException {
        try {
            task.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
