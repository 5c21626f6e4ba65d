package dev.bakecache.engine.migrate;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ChunkingConfig;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.hash.Hasher;
import dev.bakecache.engine.ingest.BlobClaim;
import dev.bakecache.engine.ingest.FileStorer;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.manifest.OutputPaths;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Moves one archive of the legacy cache ({@code <key>.tar.zst}, a zstd-compressed tar of a
 * recipe's outputs) into the CAS: its regular files become blobs (chunked when large, like an
 * ingest), exec bits, directories and symlinks go into a signed manifest under the key, written
 * last (docs/adr/0003). The archive is streamed once, never extracted.
 *
 * <p>Nothing in an archive is trusted (docs/adr/0005): an entry with an unsafe path, a link out
 * of the tree, a device or FIFO, a duplicate, or damaged zstd or tar data rejects the whole
 * archive with the reason, and no manifest is written for it (blobs stored before the problem
 * showed are unreferenced, the GC's business). A rejection is an outcome, not an exception: the
 * caller goes on with the next archive. Exceptions thrown are failures of the cache itself.
 *
 * <p>The archive's digest is kept in a {@link MigrationLedger}, so migrating the same archive
 * again is a skip; a changed archive is migrated again.
 */
public final class LegacyArchiveMigrator {

    public static final String SUFFIX = ".tar.zst";

    /** Larger non-chunked entries are spooled to {@code tmp/}, since content is hashed before it is stored. */
    static final int IN_MEMORY_LIMIT = 8 * 1024 * 1024;

    private final LocalCache cache;
    private final HashAlgorithm algorithm;
    private final ChunkingConfig chunking;
    private final FileStorer chunker;
    private final MigrationLedger ledger;

    public LegacyArchiveMigrator(LocalCache cache) {
        this.cache = cache;
        this.algorithm = cache.algorithm();
        this.chunking = cache.config().cas().chunking();
        this.chunker = new FileStorer(algorithm, cache.chunks(), chunking);
        this.ledger = new MigrationLedger(cache.layout().migrateStateDir(), cache.layout().tmpDir());
    }

    /** The legacy archives in {@code dir} ({@code *.tar.zst} files), sorted by name. */
    public static List<Path> archivesIn(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    /**
     * Migrates {@code archive} under the key its name gives. With {@code deleteAfterVerify} the
     * archive is read again even when it was migrated before, its manifest is restored into a
     * scratch directory and compared with the archive's entries, and only on a match is the
     * archive deleted.
     */
    public MigrationOutcome migrate(Path archive, boolean deleteAfterVerify) throws IOException {
        String name = archive.getFileName().toString();
        String key = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
        String keyProblem = OutputPaths.actionKeyProblem(key);
        if (keyProblem != null) {
            return MigrationOutcome.rejected(name, key, "its name does not give an action key: " + keyProblem
                    + "; rename the archive to <key>" + SUFFIX);
        }
        try {
            if (!deleteAfterVerify && alreadyMigrated(key, archive)) {
                return MigrationOutcome.skipped(name, key, "already migrated from this very archive");
            }
            Stored stored = readAndStore(key, archive);
            BlobClaim.claim(cache.blobs(), cache.chunks(), stored.manifest());
            cache.actions().put(stored.manifest());
            ledger.record(key, stored.archive());
            boolean deleted = deleteAfterVerify && verifyThenDelete(archive, stored.manifest());
            return new MigrationOutcome(name, key, MigrationOutcome.Status.MIGRATED, "",
                    stored.manifest().outputFiles().size(), stored.manifest().totalBytes(), stored.newBytes(), deleted);
        } catch (RejectedArchiveException e) {
            return MigrationOutcome.rejected(name, key, e.getMessage());
        }
    }

    private boolean alreadyMigrated(String key, Path archive) throws IOException {
        Optional<Digest> recorded = ledger.archiveOf(key);
        return recorded.isPresent() && cache.actions().contains(key)
                && recorded.get().equals(LegacyArchiveReader.digestOf(archive));
    }

    /** The manifest to write, once every blob it names is stored, and what the archive added. */
    private record Stored(ActionResult manifest, Digest archive, long newBytes) {
    }

    private Stored readAndStore(String key, Path archive) throws IOException {
        ArchiveTree tree = new ArchiveTree();
        long newBytes = 0;
        try (LegacyArchiveReader reader = LegacyArchiveReader.open(archive)) {
            for (TarArchiveEntry entry; (entry = reader.next()) != null; ) {
                newBytes += add(tree, entry, reader.content());
            }
            ActionResult manifest = new ActionResult(key, algorithm.id(), tree.files(), tree.directories(),
                    tree.symlinks(), null, Instant.now(), null);
            return new Stored(manifest, reader.finish(), newBytes);
        }
    }

    /** Adds one entry to the tree, storing a regular file's content; returns the bytes newly stored. */
    private long add(ArchiveTree tree, TarArchiveEntry entry, InputStream content) throws IOException {
        String name = entry.getName();
        if (entry.isDirectory()) {
            String path = ArchiveTree.pathOf(name, true);
            if (path != null) {
                tree.addDirectory(path);
            }
            return 0;
        }
        String path = ArchiveTree.pathOf(name, false);
        if (path == null) {
            throw new RejectedArchiveException("entry '" + name + "' stands for the root of the tree but is not a directory");
        }
        if (entry.isSymbolicLink()) {
            tree.addSymlink(path, entry.getLinkName());
            return 0;
        }
        if (entry.isLink()) {
            tree.addHardLink(path, entry.getLinkName());
            return 0;
        }
        if (!isRegularFile(entry)) {
            throw new RejectedArchiveException("entry '" + name + "' is " + typeOf(entry)
                    + "; only regular files, directories and symlinks can be migrated");
        }
        tree.claimFile(path);
        boolean executable = (entry.getMode() & 0100) != 0;
        long size = entry.getSize();
        if (chunking.appliesTo(size)) {
            FileStorer.Content stored = chunker.storeChunks(content);
            tree.putFile(new OutputFile(path, stored.digest(), executable, stored.chunks()));
            return stored.newBytes();
        }
        Blob blob = size <= IN_MEMORY_LIMIT ? storeInMemory(path, content, size) : storeSpooled(content);
        tree.putFile(new OutputFile(path, blob.digest(), executable));
        return blob.newBytes();
    }

    /** A whole-file blob and the bytes it added: its size when new, else zero. */
    private record Blob(Digest digest, long newBytes) {
    }

    private Blob storeInMemory(String path, InputStream content, long size) throws IOException {
        byte[] bytes = content.readAllBytes();
        if (bytes.length != size) {
            throw new RejectedArchiveException("entry '" + path + "' holds " + bytes.length + " bytes, its header says "
                    + size);
        }
        Digest digest = algorithm.digest(bytes);
        boolean written = !cache.blobs().contains(digest) && cache.blobs().put(digest, new ByteArrayInputStream(bytes));
        return new Blob(digest, written ? size : 0);
    }

    /** Hashes while copying to a spool file (the entry can be read only once), then stores from there. */
    private Blob storeSpooled(InputStream content) throws IOException {
        Path spool = Files.createTempFile(cache.layout().tmpDir(), "migrate-", ".spool");
        try {
            Hasher hasher = algorithm.newHasher();
            try (OutputStream out = Files.newOutputStream(spool)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = content.read(buffer)) >= 0; ) {
                    hasher.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            Digest digest = hasher.finish();
            boolean written = false;
            if (!cache.blobs().contains(digest)) {
                try (InputStream in = Files.newInputStream(spool)) {
                    written = cache.blobs().put(digest, in);
                }
            }
            return new Blob(digest, written ? digest.size() : 0);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /**
     * Deletes the archive once its manifest, read back and restored, gives exactly the archive's
     * entries. On a difference the manifest is removed again and the archive is rejected (and kept).
     */
    private boolean verifyThenDelete(Path archive, ActionResult manifest) throws IOException {
        String difference = new RestoreVerifier(cache).difference(manifest);
        if (difference != null) {
            cache.actions().delete(manifest.actionKey());
            ledger.forget(manifest.actionKey());
            throw new RejectedArchiveException("its manifest does not restore to the archive's content (" + difference
                    + "); the manifest was removed and the archive kept");
        }
        Files.delete(archive);
        return true;
    }

    private static boolean isRegularFile(TarArchiveEntry entry) {
        byte type = entry.getLinkFlag();
        return (type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM || type == TarConstants.LF_CONTIG)
                && !entry.isSparse();
    }

    private static String typeOf(TarArchiveEntry entry) {
        if (entry.isCharacterDevice()) {
            return "a character device";
        }
        if (entry.isBlockDevice()) {
            return "a block device";
        }
        if (entry.isFIFO()) {
            return "a FIFO";
        }
        return entry.isSparse() ? "a sparse file" : "of unsupported tar type '" + (char) entry.getLinkFlag() + "'";
    }
}
