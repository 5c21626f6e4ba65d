package dev.bakecache.engine.ingest;

import dev.bakecache.engine.config.ChunkingConfig;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.manifest.ActionCache;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.ExecutionMetadata;
import dev.bakecache.engine.manifest.OutputDirectory;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.ClaimableBlobStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write path: walk an output directory, hash what changed, store missing blobs and chunks,
 * and write the signed manifest last, so a manifest never names a blob that is not stored
 * (docs/adr/0003). Unchanged files are recognised by their stat data and not read at all; the
 * blobs they name are claimed while the outputs are scanned (docs/adr/0015): their use is
 * recorded, and their existence checked unless nothing was removed from the cache since they
 * were last found (docs/adr/0017).
 *
 * <p>Work is done in sessions so that a job can store the files in batches and checkpoint
 * between them; {@link #ingest} is the one-call form.
 */
public final class Ingester {

    /** Looked up once: on some machines it is a resolver round trip. */
    private static final String HOST_NAME = hostName();

    private final HashAlgorithm algorithm;
    private final ClaimableBlobStore blobs;
    private final ClaimableBlobStore chunks;
    private final ActionCache actions;
    private final ChunkingConfig chunking;
    private final int parallelism;
    private final Path stateDir;

    /**
     * @param stateDir where the stat caches live
     * @param parallelism threads that hash and store files at once
     */
    public Ingester(HashAlgorithm algorithm, ClaimableBlobStore blobs, ClaimableBlobStore chunks, ActionCache actions,
                    ChunkingConfig chunking, int parallelism, Path stateDir) {
        this.algorithm = algorithm;
        this.blobs = blobs;
        this.chunks = chunks;
        this.actions = actions;
        this.chunking = chunking;
        this.parallelism = Math.max(1, parallelism);
        this.stateDir = stateDir;
    }

    public IngestReport ingest(String actionKey, Path outputDir, ProgressListener progress) throws IOException {
        try (Session session = begin(actionKey, outputDir)) {
            progress.planned(session.tree().files().size(), session.tree().totalBytes());
            List<OutputFile> files = session.store(session.tree().files(), progress);
            return session.finish(files);
        }
    }

    /**
     * Loads the outputs' stat cache and scans them; nothing is written yet but the claim of the
     * blobs the stat cache knows (docs/adr/0008), which runs on another thread meanwhile: an
     * incremental ingest names nearly all of them again, and recording their use costs about as
     * much as the scan.
     */
    public Session begin(String actionKey, Path outputDir) throws IOException {
        Session session = new Session(actionKey, StatCache.load(StatCache.fileFor(stateDir, outputDir), algorithm));
        try {
            session.scan(outputDir);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** One ingest of one output directory, possibly spread over several batches. */
    public final class Session implements AutoCloseable {
        private final String actionKey;
        private final StatCache statCache;
        private final Instant started = Instant.now();
        private final ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        private final BlobClaim claim = new BlobClaim(blobs, chunks);
        private final Future<?> claimedAhead;
        private OutputTree tree;
        private final AtomicLong hashedFiles = new AtomicLong();
        private final AtomicLong newBlobs = new AtomicLong();
        private final AtomicLong newBytes = new AtomicLong();

        private Session(String actionKey, StatCache statCache) {
            this.actionKey = actionKey;
            this.statCache = statCache;
            List<Digest> knownBlobs = statCache.knownBlobs();
            List<Digest> knownChunks = statCache.knownChunks();
            RemovalMarks lastFoundAt = statCache.blobsFoundAt();
            this.claimedAhead = pool.submit(() -> {
                claim.claimAhead(knownBlobs, knownChunks, lastFoundAt);
                return null;
            });
        }

        private void scan(Path outputDir) throws IOException {
            tree = OutputTreeWalker.walk(outputDir);
        }

        public OutputTree tree() {
            return tree;
        }

        /** Files whose content this session read so far; the rest came from the stat cache. */
        public long hashedFiles() {
            return hashedFiles.get();
        }

        public long newBlobs() {
            return newBlobs.get();
        }

        public long newBytes() {
            return newBytes.get();
        }

        /**
         * Stores the content of {@code entries}: hashes files the stat cache cannot vouch for,
         * checks their whole-file blobs in one batch, and puts only the missing ones. What the
         * stat cache vouches for is not checked here: the claim checks each blob once, and
         * {@link #finish} stores again what was removed since the stat cache vouched for it.
         */
        public List<OutputFile> store(List<OutputTree.Entry> entries, ProgressListener progress) throws IOException {
            // Stat-cache hits are resolved here: handing thousands of no-op tasks to the pool
            // would cost more than the incremental ingest itself.
            FileStorer.Content[] contents = new FileStorer.Content[entries.size()];
            List<Integer> toHash = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                contents[i] = knownContent(entries.get(i));
                if (contents[i] == null) {
                    toHash.add(i);
                }
            }
            FileStorer storer = new FileStorer(algorithm, chunks, chunking);
            List<FileStorer.Content> hashed = inParallel(toHash, i -> hash(entries.get(i), storer));
            putMissingWholeBlobs(toHash.stream().map(entries::get).toList(), hashed);
            // only now: the stat cache vouches for stored content alone (docs/adr/0017)
            for (int h = 0; h < toHash.size(); h++) {
                int i = toHash.get(h);
                contents[i] = hashed.get(h);
                OutputTree.Entry entry = entries.get(i);
                statCache.record(entry.path(), entry.stamp(), contents[i].digest(), contents[i].chunks());
            }

            List<OutputFile> files = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                OutputTree.Entry entry = entries.get(i);
                files.add(new OutputFile(entry.path(), contents[i].digest(), entry.stamp().executable(),
                        contents[i].chunks()));
                progress.advanced(1, entry.size());
            }
            return files;
        }

        /** One batched existence check over the whole-file blobs, then puts of only the missing ones. */
        private void putMissingWholeBlobs(List<OutputTree.Entry> entries, List<FileStorer.Content> contents)
                throws IOException {
            Map<Digest, Path> wholeBlobs = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                if (contents.get(i).chunks().isEmpty()) {
                    wholeBlobs.putIfAbsent(contents.get(i).digest(), entries.get(i).file());
                }
            }
            Set<Digest> present = blobs.containsMany(wholeBlobs.keySet());
            List<Map.Entry<Digest, Path>> missing = new ArrayList<>();
            wholeBlobs.entrySet().stream().filter(e -> !present.contains(e.getKey())).forEach(missing::add);
            inParallel(missing, blob -> {
                if (FileStorer.putWhole(blobs, blob.getValue(), blob.getKey())) {
                    newBlobs.incrementAndGet();
                    newBytes.addAndGet(blob.getKey().size());
                }
                return null;
            });
        }

        /** The content the stat cache vouches for, or null. */
        private FileStorer.Content knownContent(OutputTree.Entry entry) {
            return statCache.lookup(entry.path(), entry.stamp())
                    .map(known -> new FileStorer.Content(known.digest(), known.chunks(), 0, 0))
                    .orElse(null);
        }

        private FileStorer.Content hash(OutputTree.Entry entry, FileStorer storer) throws IOException {
            FileStorer.Content content = storer.hash(entry.file(), entry.size());
            hashedFiles.incrementAndGet();
            newBlobs.addAndGet(content.newBlobs());
            newBytes.addAndGet(content.newBytes());
            return content;
        }

        /** Saves the stat cache, so that a killed run does not hash the stored files again. */
        public void checkpoint() throws IOException {
            statCache.save();
        }

        /**
         * Writes the manifest for all the stored files; call only after every batch is stored.
         * A manifest that would list exactly the same outputs as the one on disk, written by the
         * last ingest of this directory and untouched since, is left as it is. The stat cache is
         * saved afterwards and forgets files that are gone.
         */
        public IngestReport finish(List<OutputFile> files) throws IOException {
            Instant completed = Instant.now();
            List<OutputDirectory> directories = tree.directories().stream().map(OutputDirectory::new).toList();
            ActionResult outputs = new ActionResult(actionKey, algorithm.id(), files, directories, tree.symlinks(),
                    null, null, null);
            awaitClaimedAhead();
            BlobClaim.Missing missing = claim.missing(outputs);
            if (!missing.isEmpty()) {
                storeAgain(files, missing);
                claim.check(outputs);
            }
            statCache.recordBlobsFoundAt(claim.foundAt());
            String fingerprint = OutputsFingerprint.of(outputs, actions.signingKeyId());
            Path manifestFile = actions.pathOf(actionKey);
            if (!statCache.manifestUnchanged(fingerprint, manifestFile)) {
                actions.put(new ActionResult(actionKey, algorithm.id(), files, directories, tree.symlinks(),
                        new ExecutionMetadata(HOST_NAME, started, completed), completed, null));
                statCache.recordManifest(fingerprint, FileStamp.of(manifestFile));
            }
            statCache.retainOnly(files.stream().map(OutputFile::path).toList());
            statCache.save();
            long bytes = files.stream().mapToLong(f -> f.digest().size()).sum();
            return new IngestReport(actionKey, files.size(), bytes, hashedFiles.get(), newBlobs.get(), newBytes.get(),
                    Duration.between(started, Instant.now()));
        }

        /**
         * Stores again the content of files whose blobs or chunks were evicted or collected after
         * the stat cache vouched for them; the file must still hold what the stat cache said.
         */
        private void storeAgain(List<OutputFile> files, BlobClaim.Missing missing) throws IOException {
            FileStorer storer = new FileStorer(algorithm, chunks, chunking);
            List<OutputFile> affected = files.stream().filter(f -> missing.affects(f.digest(), f.chunks())).toList();
            inParallel(affected, file -> {
                Path path = tree.root().resolve(file.path());
                if (file.chunks().isEmpty()) {
                    if (FileStorer.putWhole(blobs, path, file.digest())) {
                        newBlobs.incrementAndGet();
                        newBytes.addAndGet(file.digest().size());
                    }
                    return null;
                }
                FileStorer.Content content = hash(new OutputTree.Entry(file.path(), path, FileStamp.of(path)), storer);
                if (!content.digest().equals(file.digest())) {
                    throw new IngestException(path + ": changed while it was being ingested; run the ingest again"
                            + " once the build has finished writing");
                }
                return null;
            });
        }

        private void awaitClaimedAhead() throws IOException {
            try {
                claimedAhead.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("ingest of " + actionKey + " was interrupted", e);
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }

        private <T, R> List<R> inParallel(List<T> items, IoFunction<T, R> work) throws IOException {
            if (items.size() <= 1 || parallelism == 1) {
                List<R> results = new ArrayList<>(items.size());
                for (T item : items) {
                    results.add(work.apply(item));
                }
                return results;
            }
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                Callable<R> task = () -> work.apply(item);
                futures.add(pool.submit(task));
            }
            List<R> results = new ArrayList<>(items.size());
            try {
                for (Future<R> future : futures) {
                    results.add(future.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("ingest of " + actionKey + " was interrupted", e);
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                throw rethrow(e.getCause());
            }
            return results;
        }
    }

    @FunctionalInterface
    private interface IoFunction<T, R> {
        R apply(T item) throws IOException;
    }

    private static IOException rethrow(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof UncheckedIOException unchecked) {
            return unchecked.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
