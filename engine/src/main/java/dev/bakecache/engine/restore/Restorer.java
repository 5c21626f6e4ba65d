package dev.bakecache.engine.restore;

import dev.bakecache.engine.files.FileTrees;
import dev.bakecache.engine.files.Lstat;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.DigestMismatchException;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.hash.Hasher;
import dev.bakecache.engine.hash.VerifyingInputStream;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.OutputDirectory;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.manifest.OutputSymlink;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.BlobCorruptedException;
import dev.bakecache.engine.store.BlobNotFoundException;
import dev.bakecache.engine.store.LocalBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import java.util.function.BooleanSupplier;

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
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final String TEMP_MARKER = ".bake-tmp-";
    private static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.bake-tmp-[0-9a-f]{16}");
    private static final int TEMP_NAME_CHARS = 48; // keeps ".<name>.bake-tmp-<hex>" under NAME_MAX
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<OpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private final LocalBlobStore blobs;
    private final LocalBlobStore chunks;
    private final HashAlgorithm algorithm;
    private final boolean useHardLinks;
    private final BooleanSupplier storeWritableThroughLinks;
    private final int parallelism;
    private final Path stateDir;
    private final Digest emptyDigest;

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
        this.emptyDigest = algorithm.newHasher().finish();
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
        private Path root;
        private RestoreRecords records;

        private final LongAdder written = new LongAdder();
        private final LongAdder skipped = new LongAdder();
        private final LongAdder linked = new LongAdder();
        private final LongAdder bytesWritten = new LongAdder();
        private final Set<Digest> blobsRead = ConcurrentHashMap.newKeySet();
        private final Set<Digest> chunksRead = ConcurrentHashMap.newKeySet();
        private final Set<Path> swept = new HashSet<>();
        private final FileTime started = FileTime.fromMillis(System.currentTimeMillis());
        private final Set<Digest> blobsLinked = ConcurrentHashMap.newKeySet();
        /** Why files that could have been linked are copied instead; null while links are made. */
        private final AtomicReference<String> linksNotUsed = new AtomicReference<>();
        private final AtomicBoolean failed = new AtomicBoolean();

        Run(ActionResult manifest, ProgressListener progress) {
            this.manifest = manifest;
            this.key = manifest.actionKey();
            this.progress = progress;
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
            return java.util.stream.Stream.of(
                            manifest.outputDirectories().stream().map(OutputDirectory::path),
                            manifest.outputFiles().stream().map(OutputFile::path),
                            manifest.outputSymlinks().stream().map(OutputSymlink::path))
                    .flatMap(s -> s)
                    .toList();
        }

        void openTarget(Path target) throws RestoreException {
            Path absolute = target.toAbsolutePath().normalize();
            try {
                if (!Files.isDirectory(absolute)) {
                    Files.createDirectories(absolute);
                }
                root = absolute.toRealPath();
            } catch (IOException e) {
                throw new RestoreException(key, null, "cannot use " + absolute + " as the target directory ("
                        + describe(e) + ")", e);
            }
            records = RestoreRecords.load(stateDir, root, algorithm);
        }

        /** Every directory the manifest lists or needs, parents first, checked and created one by one. */
        void restoreDirectories() throws RestoreException {
            TreeMap<String, String> needed = new TreeMap<>(); // directory -> first entry that needs it
            for (String path : allPaths()) {
                for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                    needed.putIfAbsent(path.substring(0, slash), path);
                }
            }
            manifest.outputDirectories().forEach(d -> needed.putIfAbsent(d.path(), d.path()));
            for (Map.Entry<String, String> dir : needed.entrySet()) { // sorted: "a" before "a/b"
                ensureDirectory(dir.getKey(), dir.getValue(), true);
            }
        }

        /** Checks every directory above {@code path} once more, right before the entry is written. */
        private void checkParents(String path) throws RestoreException {
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                ensureDirectory(path.substring(0, slash), path, false);
            }
        }

        /**
         * Makes {@code dir} (relative to the target) a real directory; its parents must already be.
         *
         * @param replaceNonDirectory whether a regular file there is replaced (else it is an error)
         */
        private void ensureDirectory(String dir, String entry, boolean replaceNonDirectory) throws RestoreException {
            Path path = root.resolve(dir);
            try {
                for (int attempt = 0; ; attempt++) {
                    Lstat stat = Lstat.of(path);
                    if (stat == null) {
                        try {
                            Files.createDirectory(path);
                            return;
                        } catch (FileAlreadyExistsException raced) {
                            if (attempt >= 3) {
                                throw raced;
                            }
                            continue;
                        }
                    }
                    if (stat.isDirectory()) {
                        return;
                    }
                    if (stat.isSymlink()) {
                        throw symlinkInTheWay(dir, entry, path);
                    }
                    if (!replaceNonDirectory || attempt >= 3) {
                        throw new RestoreException(key, entry, "'" + dir + "' in the target is " + stat.kind()
                                + ", not a directory");
                    }
                    records.remove(dir);
                    Files.delete(path); // a plain file where the manifest has a directory: unlinking follows nothing
                }
            } catch (RestoreException e) {
                throw e;
            } catch (IOException e) {
                throw new RestoreException(key, entry, "cannot create directory '" + dir + "' (" + describe(e) + ")", e);
            }
        }

        private RestoreException symlinkInTheWay(String dir, String entry, Path path) {
            String to;
            try {
                to = Files.readSymbolicLink(path).toString();
            } catch (IOException e) {
                to = "?";
            }
            return new RestoreException(key, entry, "'" + dir + "' in the target is a symlink (to '" + to
                    + "'); refusing to write through it. Remove it, or restore into a clean directory");
        }

        void restoreFiles() throws RestoreException {
            progress.planned(manifest.outputFiles().size(), manifest.totalBytes());
            List<OutputFile> files = filesToWrite();
            if (files.isEmpty()) {
                return;
            }
            for (OutputFile file : files) {
                removeLeftoversBeside(file.path());
            }
            if (files.stream().anyMatch(this::linkable) && storeWritableThroughLinks.getAsBoolean()) {
                linksNotUsed.set("this process can write to read-only files, as root can, so an edit of a"
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
                    long changed = written.sum() + linked.sum();
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
                Lstat existing = Lstat.of(root.resolve(file.path()));
                if (existing != null && existing.isRegularFile() && alreadyRight(file, existing)) {
                    skipped.increment();
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
            Path path = root.resolve(rel);
            try {
                records.remove(rel);
                checkParents(rel);
                if (!(linkable(file) && linksNotUsed.get() == null && link(file, path))) {
                    copy(file, path);
                }
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

        private boolean linkable(OutputFile file) {
            return useHardLinks && !file.executable() && !file.hasChunks();
        }

        /**
         * Links the raw blob into place once the linked bytes hashed to the digest; false (nothing
         * done) when the file must be copied instead.
         */
        private boolean link(OutputFile file, Path path) throws IOException {
            Digest digest = file.digest();
            Path blobFile = blobs.pathOf(digest);
            // A missing or wrong-sized blob falls through to the copy, which reports it properly.
            Lstat blob = Lstat.of(blobFile);
            if (blob == null || !blob.isRegularFile() || blob.size() != digest.size()) {
                return false;
            }
            try {
                if (!blobs.isRaw(digest)) {
                    return false;
                }
            } catch (NoSuchFileException evictedMeanwhile) {
                return false;
            }
            Path tmp = tempSibling(path);
            try {
                Files.createLink(tmp, blobFile);
            } catch (IOException | UnsupportedOperationException e) {
                // e.g. EXDEV, another filesystem: copy from now on
                linksNotUsed.compareAndSet(null, "linking into the target failed (" + describe(e) + ")");
                return false;
            }
            try {
                hashThroughLink(tmp, digest, blobFile);
                moveIntoPlace(tmp, path);
            } finally {
                Files.deleteIfExists(tmp); // rename(2) leaves tmp if path already was this inode
            }
            linked.increment();
            blobsRead.add(digest);
            blobsLinked.add(digest);
            return true;
        }

        /**
         * Reads the linked file to its end, where the stream fails unless it hashed to the digest:
         * the link rather than the blob's path, so what is checked is the inode put in place.
         */
        private void hashThroughLink(Path link, Digest digest, Path blobFile) throws IOException {
            byte[] buffer = new byte[(int) Math.min(BUFFER_BYTES, Math.max(digest.size(), 8192))];
            try (InputStream in = new VerifyingInputStream(Files.newInputStream(link, LinkOption.NOFOLLOW_LINKS),
                    algorithm, digest, "blob file " + blobFile)) {
                while (in.read(buffer) != -1) {
                    // the bytes only pass through the hasher
                }
            }
        }

        /**
         * A link's ctime moves whenever another link to its inode comes or goes, so the records of
         * this target's files that share an inode with a blob linked in this run are taken again
         * after the last link: only for a file that kept its inode, size and mtime since it was
         * recorded. Changes made by others while the restore runs are not told apart, as
         * {@link RestoreRecords} says.
         */
        private void recordLinksAgain() throws RestoreException {
            if (blobsLinked.isEmpty()) {
                return;
            }
            for (OutputFile file : manifest.outputFiles()) {
                RestoreRecords.Entry record = records.get(file.path());
                if (record == null || !linkable(file) || !blobsLinked.contains(file.digest())) {
                    continue;
                }
                try {
                    Lstat now = Lstat.of(root.resolve(file.path()));
                    if (now != null && record.matchesBarCtime(now)) {
                        records.put(file.path(), RestoreRecords.Entry.of(now, record.hash()));
                    }
                } catch (IOException e) {
                    throw new RestoreException(key, file.path(), describe(e) + " (digest " + file.digest() + ")", e);
                }
            }
        }

        private void copy(OutputFile file, Path path) throws IOException {
            Path tmp = tempSibling(path);
            try {
                long bytes;
                try (FileChannel out = FileChannel.open(tmp, NEW_FILE, OWNER_ONLY)) {
                    bytes = file.hasChunks() ? writeChunks(file, out) : writeBlob(file, out);
                }
                // verified: writeBlob/writeChunks threw otherwise, and tmp is deleted below
                Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(file.executable() ? EXECUTABLE : REGULAR);
                moveIntoPlace(tmp, path);
                written.increment();
                bytesWritten.add(bytes);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        private long writeBlob(OutputFile file, FileChannel out) throws IOException {
            Digest digest = file.digest();
            if (digest.equals(emptyDigest)) {
                return 0; // an empty file needs no blob
            }
            blobsRead.add(digest);
            // LocalBlobStore.get hashes the stream with this algorithm and throws at end of stream
            // unless size and hash equal the digest, which here is the whole-file digest: reading to
            // EOF is the whole-file verification, so the content is not hashed a second time.
            try (InputStream in = blobs.get(digest)) {
                return pump(in, out, digest, file.path(), null);
            }
        }

        private long writeChunks(OutputFile file, FileChannel out) throws IOException {
            Hasher whole = algorithm.newHasher();
            long total = 0;
            for (Digest chunk : file.chunks()) {
                chunksRead.add(chunk);
                try (InputStream in = chunks.get(chunk)) { // verifies each chunk at its EOF
                    total += pump(in, out, chunk, file.path(), whole);
                }
            }
            Digest actual = whole.finish();
            if (!actual.equals(file.digest())) {
                throw new DigestMismatchException("reassembled file '" + file.path() + "'", file.digest(), actual);
            }
            return total;
        }

        /** Copies {@code in} to its end (where the store verifies it), refusing more than the digest's size. */
        private long pump(InputStream in, FileChannel out, Digest expected, String path, Hasher hasher)
                throws IOException {
            byte[] buffer = new byte[(int) Math.min(BUFFER_BYTES, Math.max(expected.size(), 8192))];
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            long total = 0;
            for (int n; (n = in.read(buffer)) != -1; ) {
                total += n;
                if (total > expected.size()) {
                    throw new RestoreException(key, path, "blob " + expected + " holds more than its "
                            + expected.size() + " bytes; the file was not written");
                }
                if (hasher != null) {
                    hasher.update(buffer, 0, n);
                }
                wrapped.clear().limit(n);
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
            }
            return total;
        }

        void restoreSymlinks() throws RestoreException {
            for (OutputSymlink link : manifest.outputSymlinks()) {
                String rel = link.path();
                try {
                    records.remove(rel);
                    checkParents(rel);
                    Path path = root.resolve(rel);
                    Path target = Path.of(link.target());
                    Lstat stat = Lstat.of(path);
                    if (stat != null && stat.isSymlink() && Files.readSymbolicLink(path).equals(target)) {
                        continue;
                    }
                    removeLeftoversBeside(rel);
                    Path tmp = tempSibling(path);
                    try {
                        Files.createSymbolicLink(tmp, target);
                        moveIntoPlace(tmp, path);
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

        /**
         * Deletes the temporary entries a killed restore left in the directory of {@code rel}, once
         * per directory; only entries named as {@link #tempSibling} names them and older than this
         * run, never directories, never through a symlink.
         */
        private void removeLeftoversBeside(String rel) throws RestoreException {
            Path dir = root.resolve(rel).getParent();
            if (!swept.add(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir,
                    entry -> TEMP_NAME.matcher(entry.getFileName().toString()).matches())) {
                for (Path leftover : leftovers) {
                    BasicFileAttributes attributes = Files.readAttributes(leftover, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (!attributes.isDirectory() && attributes.lastModifiedTime().compareTo(started) < 0) {
                        Files.deleteIfExists(leftover);
                    }
                }
            } catch (IOException e) {
                throw new RestoreException(key, rel, "cannot remove what an earlier restore left in "
                        + dir + " (" + describe(e) + ")", e);
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
            return new RestoreReport(manifest.outputFiles().size(), written.sum(), skipped.sum(), linked.sum(),
                    manifest.totalBytes(), bytesWritten.sum(), blobsRead, chunksRead, linksNotUsed.get(),
                    Duration.ofNanos(elapsedNanos));
        }
    }

    /**
     * Renames a fully written temporary entry over {@code path}. rename(2) replaces a file or
     * symlink at {@code path} without following it; a directory there is deleted first.
     */
    private static void moveIntoPlace(Path tmp, Path path) throws IOException {
        Lstat stat = Lstat.of(path);
        if (stat != null && stat.isDirectory()) {
            FileTrees.deleteTree(path);
        }
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    }


    /** {@code .<name>.bake-tmp-<random>} beside {@code path}, so the final rename stays within one directory. */
    static Path tempSibling(Path path) {
        String name = path.getFileName().toString();
        if (name.length() > TEMP_NAME_CHARS) {
            int cut = TEMP_NAME_CHARS;
            if (Character.isHighSurrogate(name.charAt(cut - 1))) {
                cut--;
            }
            name = name.substring(0, cut);
        }
        return path.resolveSibling("." + name + TEMP_MARKER
                + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null ? type : type + ": " + message;
    }
}
