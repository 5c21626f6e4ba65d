package dev.bakecache.engine.store;

import com.github.luben.zstd.ZstdIOException;
import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.compress.BlobStreams;
import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Blobs as files under one directory of the local tier, sharded by the first two hex characters
 * of their hash ({@code ab/abcdef...}).
 *
 * <p>A put streams the content through the hasher and the encoder into a fresh file in
 * {@code tmp/}, fsyncs it, checks the digest and only then renames it into place, so a crash
 * never leaves a half-written blob under its final name. Concurrent puts of the same blob, from
 * threads or processes, each write their own temporary file; whichever rename lands last wins,
 * and both carry the same bytes. Blob files are read-only (0444), which keeps a process that is
 * neither root nor their owner from writing to them; see {@link #writableThroughReadOnlyFiles}.
 */
public final class LocalBlobStore implements TierBlobStore {

    /**
     * Below this many, checking in parallel costs more than it saves (2 cores, warm: 8 checks
     * 15 vs 35 us, 128 checks 178 vs 143 us, 1000 checks 1.4 vs 0.9 ms).
     */
    private static final int PARALLEL_CHECKS_FROM = 128;

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path dir;
    private final Path tmpDir;
    private final HashAlgorithm algorithm;
    private final BlobEncoder encoder;

    public LocalBlobStore(Path dir, Path tmpDir, HashAlgorithm algorithm, CompressionPolicy compression) {
        this.dir = dir;
        this.tmpDir = tmpDir;
        this.algorithm = algorithm;
        this.encoder = new BlobEncoder(algorithm, compression);
    }

    public static LocalBlobStore open(CasLayout layout, BlobKind kind, HashAlgorithm algorithm,
                                      CompressionPolicy compression) throws IOException {
        layout.create(algorithm);
        return new LocalBlobStore(layout.dir(kind, algorithm), layout.tmpDir(), algorithm, compression);
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    /** The file a blob lives in (whether or not it exists). */
    public Path pathOf(Digest digest) {
        return pathOf(digest.hash());
    }

    /** The file the blob with this hash lives in (whether or not it exists). */
    public Path pathOf(String hash) {
        return dir.resolve(hash.substring(0, 2)).resolve(hash);
    }

    @Override
    public boolean contains(Digest digest) {
        return Files.exists(pathOf(digest));
    }

    /** One stat per blob, spread over the common pool: a claim checks every blob of a manifest. */
    @Override
    public Set<Digest> containsMany(Collection<Digest> digests) {
        if (digests.size() < PARALLEL_CHECKS_FROM) {
            return digests.stream().filter(this::contains).collect(Collectors.toSet());
        }
        return digests.parallelStream().filter(this::contains).collect(Collectors.toSet());
    }

    @Override
    public InputStream get(Digest digest) throws IOException {
        Path file = pathOf(digest);
        InputStream stored;
        try {
            stored = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(digest, dir.toString());
        }
        return VerifiedBlobStream.open(stored, algorithm, digest, file.toString());
    }

    /** Whether the blob file is the content byte for byte, so a restore may hard-link it (ADR 0018). */
    public boolean isRaw(Digest digest) throws IOException {
        try (InputStream in = Files.newInputStream(pathOf(digest))) {
            byte[] head = in.readNBytes(4);
            return BlobFormat.ofStoredBytes(head, head.length) == BlobFormat.RAW;
        }
    }

    /**
     * Whether this process can open a read-only file in this store's {@code tmp/} for writing, as
     * root can: then the blob files' mode does not protect them, and a hard link to one would let
     * an in-place edit of the linked file change the blob. Tried rather than inferred from the
     * user id, since capabilities, user namespaces and network filesystems (root squash) decide
     * it. True also when the probe cannot be made: the caller then takes the safe side.
     */
    public boolean writableThroughReadOnlyFiles() {
        Path probe = null;
        try {
            Files.createDirectories(tmpDir);
            // ".part", as staging files are named: gc removes it after its grace if this process dies here
            probe = Files.createTempFile(tmpDir, "write-probe-", ".part",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--")));
            try (FileChannel ignored = FileChannel.open(probe, StandardOpenOption.WRITE)) {
                return true;
            }
        } catch (AccessDeniedException readOnlyHolds) {
            return false;
        } catch (IOException | UnsupportedOperationException cannotTell) {
            return true;
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException leftForGc) {
                    // a leftover probe is gc's, by its name
                }
            }
        }
    }

    @Override
    public boolean put(Digest digest, InputStream content) throws IOException {
        Path target = pathOf(digest);
        if (Files.exists(target)) {
            return false;
        }
        Path tmp = newTmpFile(digest.hash());
        try {
            encoder.encode(digest, content, new BufferedOutputStream(Files.newOutputStream(tmp), BUFFER_BYTES));
            publish(tmp, target);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public InputStream openStored(String hash) throws IOException {
        try {
            return Files.newInputStream(pathOf(hash));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(hash, dir.toString());
        }
    }

    @Override
    public Digest putStored(String hash, InputStream stored) throws IOException {
        Path tmp = newTmpFile(hash);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                stored.transferTo(out);
            }
            Digest digest = StoredForm.verify(tmp, algorithm, hash, "copy of blob " + hash);
            publish(tmp, pathOf(hash));
            return digest;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Path newTmpFile(String hash) throws IOException {
        Files.createDirectories(tmpDir);
        return Files.createTempFile(tmpDir, hash.substring(0, 16) + "-", ".part");
    }

    /** Makes a verified temporary file the blob: fsync, read-only, atomic rename. */
    private static void publish(Path tmp, Path target) throws IOException {
        // fsync through a second descriptor: Linux flushes the inode's pages whichever fd asks.
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
        Files.createDirectories(target.getParent());
        moveIntoPlace(tmp, target);
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + tmp + " atomically to " + target
                    + "; tmp/ must be on the same filesystem as the blobs", e);
        }
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        return Files.deleteIfExists(pathOf(digest));
    }

    /** Bytes the blob file takes (after compression), or empty when absent. */
    public OptionalLong storedSize(Digest digest) throws IOException {
        try {
            return OptionalLong.of(Files.size(pathOf(digest)));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public Stream<StoredBlob> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        Stream<Path> shards = Files.list(dir).filter(p -> p.getFileName().toString().length() == 2);
        return shards.flatMap(LocalBlobStore::listShardDir).onClose(shards::close);
    }

    @Override
    public Stream<StoredBlob> listShard(String shard) {
        Path shardDir = dir.resolve(shard);
        return Files.isDirectory(shardDir) ? listShardDir(shardDir) : Stream.empty();
    }

    private static Stream<StoredBlob> listShardDir(Path shard) {
        try {
            return Files.list(shard)
                    .filter(p -> Digest.hashProblem(p.getFileName().toString()) == null)
                    .<StoredBlob>mapMulti((file, out) -> {
                        try {
                            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                            out.accept(new StoredBlob(file.getFileName().toString(), attrs.size(),
                                    attrs.lastModifiedTime().toInstant()));
                        } catch (NoSuchFileException deletedMeanwhile) {
                            // a concurrent delete or eviction; the listing is a snapshot anyway
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads a blob file to learn its content size and stored form, e.g. to rebuild the index. */
    public BlobFile describe(StoredBlob blob) throws IOException {
        Path file = pathOf(blob.hash());
        BlobFormat format;
        long size;
        try (InputStream stored = Files.newInputStream(file)) {
            byte[] head = stored.readNBytes(4);
            format = BlobFormat.ofStoredBytes(head, head.length);
        }
        if (format == BlobFormat.RAW) {
            size = blob.storedSize();
        } else {
            try (InputStream content = BlobStreams.decoding(Files.newInputStream(file))) {
                size = content.transferTo(OutputStream.nullOutputStream());
            } catch (ZstdIOException e) {
                throw new BlobCorruptedException(file.toString(), e);
            }
        }
        return new BlobFile(blob.hash(), size, blob.storedSize(), format, blob.modified());
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
