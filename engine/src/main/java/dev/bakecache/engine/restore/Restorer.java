package dev.bakecache.engine.restore;

import dev.bakecache.engine.files.Lstat;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.DigestMismatchException;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.OutputDirectory;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.manifest.OutputSymlink;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.BlobCorruptedException;
import dev.bakecache.engine.store.BlobNotFoundException;
import dev.bakecache.engine.store.LocalBlobStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static dev.bakecache.engine.restore.RestoreException.describe;

/**
 * Materialises a manifest ({@link ActionResult}) into a target directory: its directories (empty
 * ones too), then its files, then its symlinks.
 *
 * <h2>Safety</h2>
 * Manifest paths are relative and free of {@code ..} (checked when the manifest was built), but the
 * target on disk may hold symlinks someone planted. The restorer never writes through one:
 * <ul>
 *   <li>every directory on the way to an entry is checked with an lstat (no symlink following) and
 *       created by the restorer itself when missing; a symlink there, whatever it points to, fails
 *       the restore with a {@link RestoreException} naming the manifest key, the entry and the
 *       symlink. The target directory itself is the caller's choice and may be a symlink.</li>
 *   <li>a regular file (or other non-directory) where the manifest needs a directory is replaced by
 *       a directory;</li>
 *   <li>a file is written to a new temporary file ({@code .<name>.bake-tmp-<random>}, created with
 *       {@code O_CREAT|O_EXCL|O_NOFOLLOW}) in its final directory and renamed over the final path;
 *       a rename replaces a symlink or file sitting there instead of following it, and a directory
 *       at a file's path is deleted (without following symlinks inside) first. An existing file is
 *       never opened for writing, which also keeps hard-linked blobs safe;</li>
 *   <li>symlinks from the manifest are created last, so none of them can redirect a file write;
 *       an entry below a file or symlink of the same manifest is rejected up front.</li>
 * </ul>
 * The checks protect against what is on disk when the restore looks at it, not against another
 * process racing the restore with renames in the same tree (that would need {@code openat}).
 *
 * <h2>Verification</h2>
 * No byte that does not hash to its digest reaches a final path: every file is verified in full
 * (size and hash) before its rename, and on a mismatch the temporary file or link is deleted and
 * the restore fails naming path and digest. A whole-file blob is verified by
 * {@link LocalBlobStore#get}, which hashes the stream with this restorer's algorithm and fails at
 * end of stream (the file is not hashed a second time); a chunked file is verified chunk by chunk
 * by the chunk store and then, reassembled, against its whole-file digest; a hard link is hashed
 * through the link, before it is renamed into place.
 *
 * <h2>Copies, and hard links on request</h2>
 * Files are copied by default: a restored file shares no inode with the cache, so nothing done to
 * it can change a blob (ADR 0018). With {@code useHardLinks}, a file that is not chunked, not
 * executable and whose blob is stored raw is hard-linked to the blob file instead: no bytes are
 * written, but the blob is still read in full to hash it. Blob files are read-only (0444) and
 * shared by every link, so an executable file is always copied (its mode cannot differ per link).
 * The read-only mode only stops a process that cannot write through it: when this one can (root;
 * {@link LocalBlobStore#writableThroughReadOnlyFiles}, asked once per restore), every file is
 * copied and the report says why. <b>Left open:</b> the owner of the blob files can still chmod a
 * linked file and edit it in place, which changes the blob; {@code verify} then finds and
 * quarantines it, and a restore refuses it. When a link cannot be made (another filesystem, link
 * limit, no support), the file is copied and the rest of the run copies without trying again.
 *
 * <h2>Skipping files that are already right</h2>
 * After each file is put in place, its lstat data (size, mtime, ctime, device, inode) and digest
 * are kept in restore records under {@code stateDir}, one file per target directory (see
 * {@link RestoreRecords} for the format). A later restore skips, without reading it, a file whose
 * current lstat equals its record, whose recorded digest is the one the manifest wants and whose
 * exec bits are right. Nothing else counts: not the size, and not sharing an inode with the blob
 * (a linked file edited in place still does). A link's ctime moves whenever another link to its
 * blob comes or goes, so at the end of a run the records of the files linked to a blob it linked
 * are taken again; a file whose blob was linked into another target since is linked, and hashed,
 * again.
 * Records are saved atomically at the end, every {@value #CHECKPOINT_EVERY} changed files (or
 * 10 s) on the way, and after a failure, so a killed restore keeps most of its progress.
 *
 * <h2>What is left alone</h2>
 * Files, directories and symlinks in the target that the manifest does not list are neither
 * deleted nor changed (a restore does not make the target an exact mirror), except where one
 * stands in the way of a manifest entry as described above. The one exception is what an earlier,
 * killed restore left: temporary entries ({@code .<name>.bake-tmp-<16 hex>}) in a directory where
 * this restore writes, older than this restore's start, are deleted before it writes there, so a
 * rerun leaves the target as the manifest says. A temporary entry of a restore running now beside
 * this one is newer than that and stays. An all-cached restore writes nothing and reads no
 * directory.
 *
 * <h2>Parallelism</h2>
 * Files are restored by {@code parallelism} threads. The first failure stops the restore: files
 * not yet started are not started, files in flight finish, and the failure is thrown.
 */
public final class Restorer {

    /** Records are saved after this many written or linked files, so a killed restore keeps its progress. */
    static final int CHECKPOINT_EVERY = 1000;
    private static final long CHECKPOINT_NANOS = 10_000_000_000L;

    private final LocalBlobStore blobs;
    private final LocalBlobStore chunks;
    private final HashAlgorithm algorithm;
    private final boolean useHardLinks;
    private final BooleanSupplier storeWritableThroughLinks;
    private final int parallelism;
    private final Path stateDir;

    /**
     * @param blobs        whole-file blobs of the local tier
     * @param chunks       chunks of large files
     * @param algorithm    the cache's hash algorithm; both stores and every manifest must use it
     * @param useHardLinks link raw blobs into the target instead of copying where that is safe
     * @param parallelism  how many files are restored at once, at least 1
     * @param stateDir     where restore records are kept (created when needed)
     */
    public Restorer(LocalBlobStore blobs, LocalBlobStore chunks, HashAlgorithm algorithm, boolean useHardLinks,
                    int parallelism, Path stateDir) {
        this(blobs, chunks, algorithm, useHardLinks, parallelism, stateDir, blobs::writableThroughReadOnlyFiles);
    }

    /** @param storeWritableThroughLinks whether this process could change a blob through a link to it */
    Restorer(LocalBlobStore blobs, LocalBlobStore chunks, HashAlgorithm algorithm, boolean useHardLinks,
             int parallelism, Path stateDir, BooleanSupplier storeWritableThroughLinks) {
        this.storeWritableThroughLinks = Objects.requireNonNull(storeWritableThroughLinks, "storeWritableThroughLinks");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.chunks = Objects.requireNonNull(chunks, "chunks");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir").toAbsolutePath().normalize();
        if (parallelism < 1) {
            throw new IllegalArgumentException("restore parallelism must be at least 1, got " + parallelism);
        }
        if (blobs.algorithm() != algorithm || chunks.algorithm() != algorithm) {
            throw new IllegalArgumentException("restorer uses " + algorithm.id() + " but the blob stores use "
                    + blobs.algorithm().id() + " and " + chunks.algorithm().id());
        }
        this.useHardLinks = useHardLinks;
        this.parallelism = parallelism;
    }

    /**
     * Restores {@code manifest} into {@code target} (created when missing).
     *
     * @param progress told about each file done (skipped files included); may be null
     * @throws RestoreException when an entry cannot be restored safely or a blob is missing or corrupt;
     *                          entries restored before the failure stay in place
     */
    public RestoreReport restore(ActionResult manifest, Path target, ProgressListener progress) throws IOException {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(target, "target");
        long started = System.nanoTime();
        Run run = new Run(manifest, progress == null ? ProgressListener.NONE : progress);
        run.checkManifest();
        run.openTarget(target);
        try {
            run.restoreDirectories();
            run.restoreFiles();
            run.restoreSymlinks();
        } catch (Throwable t) {
            try {
                run.records.save(false);
            } catch (IOException | RuntimeException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        run.saveRecords(true);
        return run.report(System.nanoTime() - started);
    }

    /** The state of one restore call. */
    private final class Run {
        private final ActionResult manifest;
        private final String key;
        private final ProgressListener progress;
        private final RestoreCounts counts = new RestoreCounts();
        private final RestoredFileWriter writer;
        private final AtomicBoolean failed = new AtomicBoolean();
        private TargetDirectory target;
        private RestoreRecords records;
        private TempEntries temps;

        Run(ActionResult manifest, ProgressListener progress) {
            this.manifest = manifest;
            this.key = manifest.actionKey();
            this.progress = progress;
            this.writer = new RestoredFileWriter(key, blobs, chunks, algorithm, useHardLinks, counts);
        }

        void checkManifest() throws RestoreException {
            HashAlgorithm used;
            try {
                used = HashAlgorithm.fromId(manifest.hashAlgorithm());
            } catch (IllegalArgumentException e) {
                throw new RestoreException(key, null, e.getMessage(), e);
            }
            if (used != algorithm) {
                throw new RestoreException(key, null, "the manifest was written with " + used.id()
                        + " but this cache holds " + algorithm.id() + " blobs");
            }
            Map<String, String> notDirectories = new HashMap<>();
            manifest.outputFiles().forEach(f -> notDirectories.put(f.path(), "file"));
            manifest.outputSymlinks().forEach(l -> notDirectories.put(l.path(), "symlink"));
            for (String path : allPaths()) {
                for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                    String above = path.substring(0, slash);
                    String kind = notDirectories.get(above);
                    if (kind != null) {
                        throw new RestoreException(key, path, "it lies below '" + above
                                + "', which the same manifest lists as a " + kind);
                    }
                }
            }
        }

        private List<String> allPaths() {
            return Stream.of(
                            manifest.outputDirectories().stream().map(OutputDirectory::path),
                            manifest.outputFiles().stream().map(OutputFile::path),
                            manifest.outputSymlinks().stream().map(OutputSymlink::path))
                    .flatMap(s -> s)
                    .toList();
        }

        void openTarget(Path path) throws RestoreException {
            target = TargetDirectory.open(key, path, stateDir, algorithm);
            records = target.records();
            temps = new TempEntries(key, target.root());
        }

        /** Every directory the manifest lists or needs, parents first, checked and created one by one. */
        void restoreDirectories() throws RestoreException {
            target.createDirectories(allPaths(), manifest.outputDirectories().stream().map(OutputDirectory::path).toList());
        }

        void restoreFiles() throws RestoreException {
            progress.planned(manifest.outputFiles().size(), manifest.totalBytes());
            List<OutputFile> files = filesToWrite();
            if (files.isEmpty()) {
                return;
            }
            for (OutputFile file : files) {
                temps.removeLeftoversBeside(file.path());
            }
            if (files.stream().anyMatch(writer::linkable) && storeWritableThroughLinks.getAsBoolean()) {
                writer.copyFromNowOn("this process can write to read-only files, as root can, so an edit of a"
                        + " linked file would change the cache");
            }
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, files.size()),
                    Thread.ofPlatform().name("bake-restore-", 1).daemon(true).factory());
            boolean allDone = false;
            try {
                CompletionService<Void> completion = new ExecutorCompletionService<>(pool);
                for (OutputFile file : files) {
                    completion.submit(() -> {
                        restoreFile(file);
                        return null;
                    });
                }
                Throwable first = null;
                long changedAtCheckpoint = 0;
                long checkpointAt = System.nanoTime();
                for (int i = 0; i < files.size(); i++) {
                    Future<Void> result = completion.take();
                    try {
                        result.get();
                    } catch (ExecutionException e) {
                        if (first == null) {
                            first = e.getCause();
                            failed.set(true); // tasks not yet started return at once
                        }
                        continue;
                    }
                    long changed = counts.changed();
                    if (first == null && changed > changedAtCheckpoint
                            && (changed - changedAtCheckpoint >= CHECKPOINT_EVERY
                            || System.nanoTime() - checkpointAt >= CHECKPOINT_NANOS)) {
                        saveRecords(false);
                        changedAtCheckpoint = changed;
                        checkpointAt = System.nanoTime();
                    }
                }
                allDone = true;
                if (first != null) {
                    throw asRestoreException(first);
                }
                recordLinksAgain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RestoreException(key, null, "interrupted", e);
            } finally {
                if (allDone) {
                    pool.shutdown();
                } else {
                    // a checkpoint failed or we were interrupted: stop, and let no write outlive this call
                    failed.set(true);
                    pool.shutdownNow();
                    try {
                        pool.awaitTermination(1, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }

        private RestoreException asRestoreException(Throwable t) {
            if (t instanceof RestoreException restore) {
                return restore;
            }
            if (t instanceof Error error) {
                throw error;
            }
            return new RestoreException(key, null, describe(t), t);
        }

        /**
         * The files not already right in the target, one lstat each, found before the pool starts:
         * handing thousands of no-op tasks to the pool would cost more than an all-cached restore.
         */
        private List<OutputFile> filesToWrite() throws RestoreException {
            List<OutputFile> toWrite = new ArrayList<>();
            for (OutputFile file : manifest.outputFiles()) {
                if (!alreadyRestored(file)) {
                    toWrite.add(file);
                }
            }
            return toWrite;
        }

        /** Whether the file in the target is provably the one wanted; counted as skipped then. */
        private boolean alreadyRestored(OutputFile file) throws RestoreException {
            try {
                Lstat existing = Lstat.of(target.resolve(file.path()));
                if (existing != null && existing.isRegularFile() && alreadyRight(file, existing)) {
                    counts.skipped();
                    progress.advanced(1, file.digest().size());
                    return true;
                }
                return false;
            } catch (IOException | RuntimeException e) {
                throw new RestoreException(key, file.path(), describe(e) + " (digest " + file.digest() + ")", e);
            }
        }

        /** Writes a file that is not already right, replacing whatever is there. */
        private void restoreFile(OutputFile file) throws IOException {
            if (failed.get()) {
                return;
            }
            String rel = file.path();
            Digest digest = file.digest();
            Path path = target.resolve(rel);
            try {
                records.remove(rel);
                target.checkParents(rel);
                writer.write(file, path);
                Lstat now = Lstat.of(path);
                if (now != null && now.isRegularFile()) {
                    records.put(rel, RestoreRecords.Entry.of(now, digest.hash()));
                }
                progress.advanced(1, digest.size());
            } catch (RestoreException e) {
                throw e;
            } catch (BlobNotFoundException e) {
                throw new RestoreException(key, rel, "blob " + e.blob() + " is not in the cache ("
                        + e.getMessage() + "); the file was not written", e);
            } catch (BlobCorruptedException | DigestMismatchException e) {
                throw new RestoreException(key, rel, "the content for digest " + digest
                        + " is corrupt, so the file was not written; run verify to quarantine what is corrupt ("
                        + e.getMessage() + ")", e);
            } catch (IOException | RuntimeException e) {
                throw new RestoreException(key, rel, describe(e) + " (digest " + digest + ")", e);
            }
        }

        /** True when the file is provably what the manifest wants: never decided on size alone. */
        private boolean alreadyRight(OutputFile file, Lstat stat) throws IOException {
            Digest digest = file.digest();
            if (!stat.hasExecBits(file.executable()) || stat.size() != digest.size()) {
                return false;
            }
            RestoreRecords.Entry record = records.get(file.path());
            return record != null && record.hash().equals(digest.hash()) && record.matches(stat);
        }

        /**
         * A link's ctime moves whenever another link to its inode comes or goes, so the records of
         * this target's files that share an inode with a blob linked in this run are taken again
         * after the last link: only for a file that kept its inode, size and mtime since it was
         * recorded. Changes made by others while the restore runs are not told apart, as
         * {@link RestoreRecords} says.
         */
        private void recordLinksAgain() throws RestoreException {
            if (!counts.anyLinked()) {
                return;
            }
            for (OutputFile file : manifest.outputFiles()) {
                RestoreRecords.Entry record = records.get(file.path());
                if (record == null || !writer.linkable(file) || !counts.wasLinked(file.digest())) {
                    continue;
                }
                try {
                    Lstat now = Lstat.of(target.resolve(file.path()));
                    if (now != null && record.matchesBarCtime(now)) {
                        records.put(file.path(), RestoreRecords.Entry.of(now, record.hash()));
                    }
                } catch (IOException e) {
                    throw new RestoreException(key, file.path(), describe(e) + " (digest " + file.digest() + ")", e);
                }
            }
        }

        void restoreSymlinks() throws RestoreException {
            for (OutputSymlink link : manifest.outputSymlinks()) {
                String rel = link.path();
                try {
                    records.remove(rel);
                    target.checkParents(rel);
                    Path path = target.resolve(rel);
                    Path to = Path.of(link.target());
                    Lstat stat = Lstat.of(path);
                    if (stat != null && stat.isSymlink() && Files.readSymbolicLink(path).equals(to)) {
                        continue;
                    }
                    temps.removeLeftoversBeside(rel);
                    Path tmp = TempEntries.sibling(path);
                    try {
                        Files.createSymbolicLink(tmp, to);
                        TempEntries.moveIntoPlace(tmp, path);
                    } finally {
                        Files.deleteIfExists(tmp); // the link itself, never what it points to
                    }
                } catch (RestoreException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    throw new RestoreException(key, rel, "cannot create symlink to '" + link.target() + "' ("
                            + describe(e) + ")", e);
                }
            }
        }

        void saveRecords(boolean settle) throws RestoreException {
            try {
                records.save(settle);
            } catch (IOException e) {
                throw new RestoreException(key, null, "cannot save restore records to " + records.file()
                        + " (" + describe(e) + ")", e);
            }
        }

        RestoreReport report(long elapsedNanos) {
            return counts.report(manifest, writer.linksNotUsed(), elapsedNanos);
        }
    }
}
