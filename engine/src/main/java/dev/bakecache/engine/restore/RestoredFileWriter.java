package dev.bakecache.engine.restore;

import dev.bakecache.engine.files.Lstat;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.DigestMismatchException;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.hash.Hasher;
import dev.bakecache.engine.hash.VerifyingInputStream;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.store.LocalBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts one file of a manifest at its final path, by a copy or, where asked for and safe, a hard
 * link to its raw blob. Either way the file is made as a new temporary sibling
 * ({@link TempEntries#sibling}, created with {@code O_CREAT|O_EXCL|O_NOFOLLOW}), verified in full
 * (size and hash) and only then renamed over the final path: no byte that does not hash to its
 * digest reaches a final path, and an existing file is never opened for writing, which also keeps
 * hard-linked blobs safe. On a mismatch the temporary file or link is deleted and the exception
 * says why.
 *
 * <p>Links are made only for a file that is not chunked, not executable and whose blob is stored
 * raw; once linking fails (another filesystem, link limit, no support) or the restore decides
 * against it ({@link #copyFromNowOn}), every later file is copied.
 *
 * <p>One instance per restore call, shared by its threads.
 */
final class RestoredFileWriter {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<OpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private final String key;
    private final LocalBlobStore blobs;
    private final LocalBlobStore chunks;
    private final HashAlgorithm algorithm;
    private final boolean useHardLinks;
    private final Digest emptyDigest;
    private final RestoreCounts counts;
    /** Why files that could have been linked are copied instead; null while links are made. */
    private final AtomicReference<String> linksNotUsed = new AtomicReference<>();

    RestoredFileWriter(String key, LocalBlobStore blobs, LocalBlobStore chunks, HashAlgorithm algorithm,
                       boolean useHardLinks, RestoreCounts counts) {
        this.key = key;
        this.blobs = blobs;
        this.chunks = chunks;
        this.algorithm = algorithm;
        this.useHardLinks = useHardLinks;
        this.emptyDigest = algorithm.newHasher().finish();
        this.counts = counts;
    }

    /** Whether {@code file} would be hard-linked to its blob, were the blob raw and linking possible. */
    boolean linkable(OutputFile file) {
        return useHardLinks && !file.executable() && !file.hasChunks();
    }

    /** Copies every later file, for the reason given (which the report repeats). */
    void copyFromNowOn(String why) {
        linksNotUsed.set(why);
    }

    /** Why files were copied although links were asked for; null when none was. */
    String linksNotUsed() {
        return linksNotUsed.get();
    }

    /** Puts {@code file} at {@code path}, verified, replacing whatever is there. */
    void write(OutputFile file, Path path) throws IOException {
        if (!(linkable(file) && linksNotUsed.get() == null && link(file, path))) {
            copy(file, path);
        }
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
        Path tmp = TempEntries.sibling(path);
        try {
            Files.createLink(tmp, blobFile);
        } catch (IOException | UnsupportedOperationException e) {
            // e.g. EXDEV, another filesystem: copy from now on
            linksNotUsed.compareAndSet(null, "linking into the target failed (" + RestoreException.describe(e) + ")");
            return false;
        }
        try {
            hashThroughLink(tmp, digest, blobFile);
            TempEntries.moveIntoPlace(tmp, path);
        } finally {
            Files.deleteIfExists(tmp); // rename(2) leaves tmp if path already was this inode
        }
        counts.linked(digest);
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

    private void copy(OutputFile file, Path path) throws IOException {
        Path tmp = TempEntries.sibling(path);
        try {
            long bytes;
            try (FileChannel out = FileChannel.open(tmp, NEW_FILE, OWNER_ONLY)) {
                bytes = file.hasChunks() ? writeChunks(file, out) : writeBlob(file, out);
            }
            // verified: writeBlob/writeChunks threw otherwise, and tmp is deleted below
            Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(file.executable() ? EXECUTABLE : REGULAR);
            TempEntries.moveIntoPlace(tmp, path);
            counts.wrote(bytes);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private long writeBlob(OutputFile file, FileChannel out) throws IOException {
        Digest digest = file.digest();
        if (digest.equals(emptyDigest)) {
            return 0; // an empty file needs no blob
        }
        counts.readBlob(digest);
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
            counts.readChunk(chunk);
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
}
