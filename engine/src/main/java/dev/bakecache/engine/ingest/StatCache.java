package dev.bakecache.engine.ingest;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers, per output directory, the digest of each file together with the {@link FileStamp}
 * it had when it was hashed, so an incremental ingest re-reads only files whose stamp moved.
 *
 * <p>Racy files, as git calls them: a file modified in the same instant the scan read its stamp
 * could change again without its mtime moving. An entry is therefore trusted only if the file's
 * mtime and ctime are older than the start of the scan that recorded it; files written during
 * an ingest are simply hashed again next time.
 *
 * <p>The file is a small binary table ending in a BLAKE3 digest of the rest. It is overwritten in
 * place rather than written beside and renamed: renaming over a file costs more than the rest of
 * the save (0.55 against 0.05 ms for 150 KB here), and a save is on every ingest's path. So a
 * save cut short, two saves at once, or a load during a save can leave a torn file; the digest
 * makes it read as damaged, and a missing, foreign or damaged file just means everything is
 * hashed once more.
 */
public final class StatCache {

    private static final int MAGIC = 0x424B5343; // "BKSC"
    private static final int VERSION = 5;
    private static final HexFormat HEX = HexFormat.of();

    /** What was known of a file when it was last hashed. */
    public record Known(FileStamp stamp, Digest digest, List<Digest> chunks, long scanStartNanos) {
        boolean trustedFor(FileStamp now) {
            return stamp.equals(now) && now.mtimeNanos() < scanStartNanos && now.ctimeNanos() < scanStartNanos;
        }
    }

    /**
     * The manifest last written for this directory: a fingerprint of its outputs and the stamp of
     * its file, so an ingest that finds nothing changed does not rewrite (and fsync) it.
     */
    public record ManifestStamp(String fingerprint, FileStamp stamp) {
    }

    private final Path file;
    private final HashAlgorithm algorithm;
    private final long scanStartNanos;
    private final Map<String, Known> entries;
    private volatile ManifestStamp manifest;
    private volatile RemovalMarks blobsFoundAt;
    private volatile boolean dirty;

    private StatCache(Path file, HashAlgorithm algorithm, Map<String, Known> entries, ManifestStamp manifest,
                      RemovalMarks blobsFoundAt) {
        this.file = file;
        this.algorithm = algorithm;
        this.entries = entries;
        this.manifest = manifest;
        this.blobsFoundAt = blobsFoundAt;
        Instant now = Instant.now();
        this.scanStartNanos = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    /** The stat cache of one output directory, kept in {@code stateDir}. */
    public static Path fileFor(Path stateDir, Path outputDir) {
        byte[] name = outputDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
        String id = HashAlgorithm.SHA256.digest(name).hash().substring(0, 32);
        return stateDir.resolve(id + ".bin");
    }

    /** Loads the cache, or starts an empty one when the file is missing, unreadable or for another algorithm. */
    public static StatCache load(Path file, HashAlgorithm algorithm) {
        Map<String, Known> entries = new ConcurrentHashMap<>();
        ManifestStamp manifest = null;
        RemovalMarks blobsFoundAt = null;
        try {
            ByteBuffer in = checked(Files.readAllBytes(file));
            if (in.getInt() == MAGIC && in.getInt() == VERSION && readString(in).equals(algorithm.id())) {
                manifest = in.get() == 1 ? new ManifestStamp(readString(in), readStamp(in)) : null;
                blobsFoundAt = in.get() == 1 ? new RemovalMarks(in.getLong(), in.getLong()) : null;
                readEntries(in, entries);
            }
        } catch (NoSuchFileException e) {
            // first ingest of this directory
        } catch (IOException | RuntimeException e) {
            entries.clear(); // damaged: hashing everything again is always correct
            manifest = null;
            blobsFoundAt = null;
        }
        return new StatCache(file, algorithm, entries, manifest, blobsFoundAt);
    }

    /** The content before the trailing digest, if the digest matches it. */
    private static ByteBuffer checked(byte[] bytes) throws IOException {
        int content = bytes.length - HashAlgorithm.DIGEST_BYTES;
        if (content < 0 || !HEX.formatHex(bytes, content, bytes.length).equals(digestOf(bytes, content).hash())) {
            throw new IOException("torn or damaged");
        }
        return ByteBuffer.wrap(bytes, 0, content);
    }

    private static Digest digestOf(byte[] bytes, int length) {
        return HashAlgorithm.BLAKE3.digest(bytes, 0, length);
    }

    // Read from a ByteBuffer rather than a DataInputStream: an incremental ingest of thousands of
    // files reads the whole table each time, and the stream's per-field calls cost more than the
    // rest of the load.

    private static FileStamp readStamp(ByteBuffer in) {
        return new FileStamp(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getInt());
    }

    private static void writeStamp(DataOutputStream out, FileStamp s) throws IOException {
        out.writeLong(s.size());
        out.writeLong(s.mtimeNanos());
        out.writeLong(s.ctimeNanos());
        out.writeLong(s.inode());
        out.writeInt(s.mode());
    }

    private static void readEntries(ByteBuffer in, Map<String, Known> entries) throws IOException {
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            String path = readString(in);
            FileStamp stamp = readStamp(in);
            long scanStart = in.getLong();
            Digest digest = readDigest(in);
            int chunkCount = in.getInt();
            List<Digest> chunks = new ArrayList<>(chunkCount);
            for (int c = 0; c < chunkCount; c++) {
                chunks.add(readDigest(in));
            }
            entries.put(path, new Known(stamp, digest, List.copyOf(chunks), scanStart));
        }
        if (in.hasRemaining()) {
            throw new EOFException("trailing bytes");
        }
    }

    private static Digest readDigest(ByteBuffer in) {
        byte[] hash = new byte[HashAlgorithm.DIGEST_BYTES];
        in.get(hash);
        return new Digest(HEX.formatHex(hash), in.getLong());
    }

    private static String readString(ByteBuffer in) throws IOException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IOException("bad string length " + length);
        }
        String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    /** The digest recorded for {@code path}, if the file provably has not changed since. */
    public Optional<Known> lookup(String path, FileStamp now) {
        Known known = entries.get(path);
        return known != null && known.trustedFor(now) ? Optional.of(known) : Optional.empty();
    }

    /** The whole-file blobs of the files it knows: what the next manifest of the directory most likely names. */
    public List<Digest> knownBlobs() {
        return entries.values().stream().filter(k -> k.chunks().isEmpty()).map(Known::digest).toList();
    }

    /** The chunks of the large files it knows. */
    public List<Digest> knownChunks() {
        return entries.values().stream().flatMap(k -> k.chunks().stream()).toList();
    }

    public void record(String path, FileStamp stamp, Digest digest, List<Digest> chunks) {
        entries.put(path, new Known(stamp, digest, List.copyOf(chunks), scanStartNanos));
        dirty = true;
    }

    /** Drops entries of files that are gone, so the table does not grow forever. */
    public void retainOnly(java.util.Collection<String> paths) {
        if (entries.keySet().retainAll(new java.util.HashSet<>(paths))) {
            dirty = true;
        }
    }

    /** Whether {@code manifestFile} is still the one written for {@code fingerprint}, untouched since. */
    public boolean manifestUnchanged(String fingerprint, Path manifestFile) throws IOException {
        ManifestStamp last = manifest;
        if (last == null || !last.fingerprint().equals(fingerprint) || !Files.exists(manifestFile)) {
            return false;
        }
        FileStamp now = FileStamp.of(manifestFile);
        return last.stamp().equals(now) && now.mtimeNanos() < scanStartNanos;
    }

    public void recordManifest(String fingerprint, FileStamp stamp) {
        manifest = new ManifestStamp(fingerprint, stamp);
        dirty = true;
    }

    /**
     * The stores' marks at which the blobs and chunks of every file it knows were last found
     * stored, after a claim (docs/adr/0017); null when unknown. Entries recorded since were stored
     * after that.
     */
    public RemovalMarks blobsFoundAt() {
        return blobsFoundAt;
    }

    public void recordBlobsFoundAt(RemovalMarks marks) {
        if (!Objects.equals(marks, blobsFoundAt)) {
            blobsFoundAt = marks;
            dirty = true;
        }
    }

    public int size() {
        return entries.size();
    }

    /** Writes the cache if anything changed since it was loaded or last saved. */
    public void save() throws IOException {
        if (!dirty) {
            return;
        }
        dirty = false;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 160);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        writeString(out, algorithm.id());
        ManifestStamp written = manifest;
        out.writeBoolean(written != null);
        if (written != null) {
            writeString(out, written.fingerprint());
            writeStamp(out, written.stamp());
        }
        RemovalMarks marks = blobsFoundAt;
        out.writeBoolean(marks != null);
        if (marks != null) {
            out.writeLong(marks.blobs());
            out.writeLong(marks.chunks());
        }
        Map<String, Known> snapshot = Map.copyOf(entries);
        out.writeInt(snapshot.size());
        for (Map.Entry<String, Known> entry : snapshot.entrySet()) {
            Known known = entry.getValue();
            writeString(out, entry.getKey());
            writeStamp(out, known.stamp());
            out.writeLong(known.scanStartNanos());
            writeDigest(out, known.digest());
            out.writeInt(known.chunks().size());
            for (Digest chunk : known.chunks()) {
                writeDigest(out, chunk);
            }
        }
        byte[] content = bytes.toByteArray();
        ByteBuffer[] parts = {ByteBuffer.wrap(content), ByteBuffer.wrap(HEX.parseHex(digestOf(content, content.length).hash()))};
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (parts[1].hasRemaining()) {
                channel.write(parts);
            }
            channel.truncate(content.length + HashAlgorithm.DIGEST_BYTES);
        }
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void writeDigest(DataOutputStream out, Digest digest) throws IOException {
        out.write(HEX.parseHex(digest.hash()));
        out.writeLong(digest.size());
    }
}
