package dev.bakecache.engine.verify;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.compress.BlobStreams;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.index.IndexTotals;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.InvalidManifestException;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.progress.KeyPages;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.ShardRange;
import dev.bakecache.engine.store.LocalBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a local tier: rehashes its blobs and chunks (all or a {@link Sample}), moves the corrupt
 * ones to {@code quarantine/blobs/} or {@code quarantine/chunks/} and drops them from the index;
 * then reads every manifest, checking its signature and that every blob and chunk it names is
 * stored. The work is cut into shards ({@code 00} to {@code ff} per kind) and pages of manifests,
 * so a job can checkpoint after each and a killed run resumes where it stopped.
 *
 * <p>Checking and quarantining are separate calls ({@link #checkShard} and {@link #checkManifests}
 * find, {@link #quarantine} moves), so that a job can checkpoint its findings before acting on
 * them: a run killed after the move but before the checkpoint would otherwise lose the finding,
 * since its resumed run no longer sees the moved file. {@link #quarantine} is idempotent.
 *
 * <p>Blobs come first: a manifest whose blob was just quarantined is then found incomplete in
 * the same run. An incomplete manifest is moved to {@code quarantine/ac/}, so a restore of its key
 * fails at once with "no manifest" instead of half-way, and the next ingest of the key writes a
 * complete one. An invalid manifest (bad signature, malformed) is reported but left in place:
 * restores refuse it already, and a verify run with the wrong secret must not empty the action
 * cache. Nothing is deleted: people want to look at what went wrong.
 */
public final class Verifier {

    static final int MANIFEST_PAGE = 256;
    static final int CHECKPOINT_BLOBS = 1000;
    static final long CHECKPOINT_BYTES = 256L << 20;

    private static final int MISSING_SHOWN = 3;

    private final LocalCache cache;
    private final Sample sample;
    private final ShardRange shards;
    private final Path quarantineDir;
    private List<String> manifestKeys;

    public Verifier(LocalCache cache, Sample sample) {
        this(cache, sample, ShardRange.ALL);
    }

    /**
     * A verifier whose {@link #verifySome} checks only {@code shards}; manifests are split the same
     * way ({@link ShardRange#shardOfKey}).
     */
    public Verifier(LocalCache cache, Sample sample, ShardRange shards) {
        this.cache = cache;
        this.sample = sample;
        this.shards = shards;
        this.quarantineDir = cache.layout().quarantineDir();
    }

    /** Every unit of work at once: all shards of both kinds, then all manifests. */
    public VerifyReport verifyAll(ProgressListener progress) throws IOException {
        long started = System.nanoTime();
        VerifyReport report = VerifyReport.start(sample);
        for (BlobKind kind : BlobKind.values()) {
            for (int shard = 0; shard < ShardRange.SHARDS; shard++) {
                VerifiedBatch batch = checkShard(kind, shard, progress);
                quarantineAll(batch.findings());
                report = report.plusBlobs(batch);
            }
        }
        VerifiedBatch manifests = checkManifests(manifestKeys());
        quarantineAll(manifests.findings());
        return report.plusManifests(manifests).withElapsed(Duration.ofNanos(System.nanoTime() - started));
    }

    /** Where a run of this verifier starts: no blob checked yet. */
    public VerifyProgress start() {
        return VerifyProgress.start(sample);
    }

    /**
     * Does the next step of work after {@code at}, once the files of the findings it holds are
     * moved to quarantine: shards of blobs or chunks until {@value #CHECKPOINT_BLOBS} blobs or
     * {@value #CHECKPOINT_BYTES} bytes were rehashed (a checkpoint costs a job-repository commit,
     * too much per shard of a small cache), or a page of manifests. The findings of the step are
     * only named in the progress returned: their files are moved at the start of the next call,
     * once the job has saved them.
     */
    public VerifyProgress verifySome(VerifyProgress at, ProgressListener progress) throws IOException {
        for (PendingQuarantine pending : at.toQuarantine()) {
            quarantine(pending.problem(), pending.subject());
        }
        return switch (at.phase()) {
            case SHARDS -> checkShards(at, progress);
            case MANIFESTS -> checkManifestPage(at);
            case DONE -> at.quarantined();
        };
    }

    private VerifyProgress checkShards(VerifyProgress at, ProgressListener progress) throws IOException {
        int units = at.cursor() == null ? 0 : Integer.parseInt(at.cursor());
        int shardUnits = BlobKind.values().length * shards.size();
        if (units == 0 && sample.percent() >= 100 && shards.isAll()) {
            IndexTotals totals = cache.index().totals();
            progress.planned(totals.count(), totals.totalSize());
        }
        List<Finding> findings = new ArrayList<>();
        long checked = 0;
        long bytes = 0;
        while (units < shardUnits && checked < CHECKPOINT_BLOBS && bytes < CHECKPOINT_BYTES) {
            VerifiedBatch shard = checkShard(BlobKind.values()[units / shards.size()],
                    shards.first() + units % shards.size(), progress);
            checked += shard.checked();
            bytes += shard.bytes();
            findings.addAll(shard.findings());
            units++;
        }
        VerifiedBatch batch = new VerifiedBatch(checked, bytes, findings);
        VerifyReport report = at.soFar().plusBlobs(batch);
        return units < shardUnits ? at.within(Integer.toString(units), report, batch)
                : at.next(VerifyProgress.Phase.MANIFESTS, report, batch);
    }

    private VerifyProgress checkManifestPage(VerifyProgress at) throws IOException {
        if (manifestKeys == null) {
            manifestKeys = manifestKeys().stream()
                    .filter(key -> shards.isAll() || shards.contains(ShardRange.shardOfKey(key))).toList();
        }
        List<String> page = KeyPages.after(manifestKeys, at.cursor(), MANIFEST_PAGE);
        VerifiedBatch batch = checkManifests(page);
        VerifyReport report = at.soFar().plusManifests(batch);
        return page.size() < MANIFEST_PAGE ? at.next(VerifyProgress.Phase.DONE, report, batch)
                : at.within(page.getLast(), report, batch);
    }

    /** Rehashes the sampled blobs (or chunks) of one shard; the findings name where {@link #quarantine} puts them. */
    public VerifiedBatch checkShard(BlobKind kind, int shard, ProgressListener progress) throws IOException {
        Path shardDir = cache.layout().dir(kind, cache.algorithm()).resolve(String.format(Locale.ROOT, "%02x", shard));
        if (!Files.isDirectory(shardDir)) {
            return new VerifiedBatch(0, 0, List.of());
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(shardDir)) {
            files = listing.filter(p -> Digest.hashProblem(p.getFileName().toString()) == null).sorted().toList();
        }
        long checked = 0;
        long bytes = 0;
        List<Finding> findings = new ArrayList<>();
        for (Path file : files) {
            String hash = file.getFileName().toString();
            if (!sample.includes(hash)) {
                continue;
            }
            Optional<Rehash> rehash = rehash(file, hash);
            if (rehash.isEmpty()) {
                continue; // evicted or collected since the listing
            }
            checked++;
            bytes += rehash.get().size();
            progress.advanced(1, rehash.get().size());
            if (rehash.get().problem() != null) {
                Finding.Problem problem = kind == BlobKind.BLOB ? Finding.Problem.CORRUPT_BLOB : Finding.Problem.CORRUPT_CHUNK;
                findings.add(new Finding(problem, hash, rehash.get().problem(), quarantinePath(problem, hash)));
            }
        }
        return new VerifiedBatch(checked, bytes, findings);
    }

    /** What reading a blob file back gave: its content size, and what is wrong with it (null: nothing). */
    private record Rehash(long size, String problem) {
    }

    private Optional<Rehash> rehash(Path file, String hash) throws IOException {
        try (InputStream content = BlobStreams.decoding(Files.newInputStream(file))) {
            Digest actual = cache.algorithm().digest(content);
            return Optional.of(new Rehash(actual.size(), actual.hash().equals(hash) ? null
                    : "content hashes to " + actual.hash() + " with " + cache.algorithm().id()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // a zstd frame that does not decode, a truncated file, an unreadable sector: unusable all the same
            return Optional.of(new Rehash(0, "cannot be read back: " + e.getMessage()));
        }
    }

    /** Where {@link #quarantine} moves the subject of a finding; null for problems left in place. */
    public Path quarantinePath(Finding.Problem problem, String subject) {
        return switch (problem) {
            case CORRUPT_BLOB -> quarantineDir.resolve("blobs").resolve(subject);
            case CORRUPT_CHUNK -> quarantineDir.resolve("chunks").resolve(subject);
            case INCOMPLETE_MANIFEST -> quarantineDir.resolve("ac").resolve(cache.actions().pathOf(subject).getFileName());
            case INVALID_MANIFEST -> null;
        };
    }

    public void quarantineAll(List<Finding> findings) throws IOException {
        for (Finding finding : findings) {
            quarantine(finding.problem(), finding.subject());
        }
    }

    /**
     * Moves a finding's file to quarantine, if it is still in place. For a blob the index row goes
     * first: a crash in between leaves the corrupt file where a retry moves it, never a row for
     * a file that is gone.
     */
    public void quarantine(Finding.Problem problem, String subject) throws IOException {
        Path target = quarantinePath(problem, subject);
        Path source = switch (problem) {
            case CORRUPT_BLOB, CORRUPT_CHUNK -> {
                BlobKind kind = problem == Finding.Problem.CORRUPT_BLOB ? BlobKind.BLOB : BlobKind.CHUNK;
                cache.index().removeAll(kind, List.of(subject));
                yield cache.store(kind).files().pathOf(subject);
            }
            case INCOMPLETE_MANIFEST -> cache.actions().pathOf(subject);
            case INVALID_MANIFEST -> null;
        };
        if (source == null) {
            return;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE); // a rename replaces an earlier copy
        } catch (NoSuchFileException alreadyMoved) {
            // moved by an earlier attempt, or removed by eviction or gc meanwhile
        }
    }

    /** Every action key with a manifest, sorted, so pages of them make a resumable cursor. */
    public List<String> manifestKeys() throws IOException {
        try (Stream<String> keys = cache.actions().keys()) {
            return keys.sorted().toList();
        }
    }

    /** Reads each manifest, checks its signature and that the tier holds every blob and chunk it names; moves nothing. */
    public VerifiedBatch checkManifests(List<String> keys) throws IOException {
        long checked = 0;
        List<Finding> findings = new ArrayList<>();
        for (String key : keys) {
            Optional<ActionResult> manifest;
            try {
                manifest = cache.actions().get(key);
            } catch (InvalidManifestException e) {
                checked++;
                findings.add(new Finding(Finding.Problem.INVALID_MANIFEST, key, e.getMessage(), null));
                continue;
            }
            if (manifest.isEmpty()) {
                continue;
            }
            checked++;
            List<String> missing = missing(manifest.get());
            if (!missing.isEmpty()) {
                findings.add(new Finding(Finding.Problem.INCOMPLETE_MANIFEST, key, "the cache lacks " + missing.size()
                        + " of the blobs and chunks it names: " + String.join(", ",
                        missing.subList(0, Math.min(MISSING_SHOWN, missing.size())))
                        + (missing.size() > MISSING_SHOWN ? ", ..." : ""),
                        quarantinePath(Finding.Problem.INCOMPLETE_MANIFEST, key)));
            }
        }
        return new VerifiedBatch(checked, 0, findings);
    }

    private List<String> missing(ActionResult manifest) {
        List<String> missing = new ArrayList<>();
        Map<BlobKind, Set<Digest>> referenced = new EnumMap<>(BlobKind.class);
        referenced.put(BlobKind.BLOB, new HashSet<>(manifest.referencedBlobs()));
        referenced.put(BlobKind.CHUNK, new HashSet<>(manifest.referencedChunks()));
        referenced.forEach((kind, digests) -> {
            LocalBlobStore files = cache.store(kind).files();
            digests.stream().filter(digest -> !files.contains(digest)).sorted()
                    .forEach(digest -> missing.add(kind.name().toLowerCase(Locale.ROOT) + " " + digest));
        });
        return missing;
    }
}
