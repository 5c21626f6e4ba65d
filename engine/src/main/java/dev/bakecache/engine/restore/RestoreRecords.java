package dev.bakecache.engine.restore;

import dev.bakecache.engine.files.Lstat;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * What this restorer wrote into one target directory last time, so a later restore can skip files
 * that are provably unchanged without reading them: per path the lstat data right after the file
 * was put in place (size, mtime, ctime, device, inode) and the content hash it was written with.
 * A file is "provably right" when its current lstat equals the record and the recorded hash is the
 * one the manifest wants; any write, chmod, rename-over or touch changes ctime, so a record never
 * matches a file someone else changed. Size alone never counts.
 *
 * <p><b>File</b>: {@code <stateDir>/<first 32 hex chars of sha256(real target path)>.restore},
 * replaced atomically (temp file, fsync, rename). Format, big-endian ({@link DataOutputStream}):
 * <pre>
 *   magic      4 bytes  "BKRR"
 *   version    1 byte   1
 *   algorithm  string   hash algorithm id, e.g. "blake3" (records of another algorithm are ignored)
 *   target     string   the real path of the target directory (guards against file-name clashes)
 *   count      int
 *   count times:
 *     path       string  manifest path, '/'-separated
 *     size       long
 *     mtime      long    nanoseconds since the epoch
 *     ctime      long    nanoseconds since the epoch
 *     dev        long
 *     ino        long
 *     hash       32 bytes
 *   crc32      long     of every byte before it
 *   (string = int byte length + UTF-8 bytes)
 * </pre>
 * A file that is missing, truncated, of another version or fails its CRC is ignored: records are
 * only an optimisation, and without them every file is simply written again.
 *
 * <p><b>Racy entries</b> (as in git's index): file timestamps come from a coarse clock, so a file
 * changed in the same clock tick as our write, with the same size, would keep size, mtime and
 * ctime. An entry is therefore saved only when the filesystem clock, probed by creating a file in
 * the state directory, has moved past the entry's ctime; the final save waits (a few
 * milliseconds) for that, checkpoints just leave such entries out. What remains unprotected is a
 * change made by someone else <em>while</em> the restore runs, within the same tick as our write.
 */
final class RestoreRecords {

    private static final byte[] MAGIC = "BKRR".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int MAX_SETTLE_WAITS = 200;
    private static final HexFormat HEX = HexFormat.of();

    /** The lstat data of a file right after it was put in place, and the hash it was written with. */
    record Entry(long size, long mtimeNanos, long ctimeNanos, long dev, long ino, String hash) {

        static Entry of(Lstat stat, String hash) {
            return new Entry(stat.size(), stat.mtimeNanos(), stat.ctimeNanos(), stat.dev(), stat.ino(), hash);
        }

        boolean matches(Lstat stat) {
            return matchesBarCtime(stat) && stat.ctimeNanos() == ctimeNanos;
        }

        /** Whether only the ctime moved, as it does for a hard link when another link to its inode comes or goes. */
        boolean matchesBarCtime(Lstat stat) {
            return stat.size() == size && stat.mtimeNanos() == mtimeNanos && stat.dev() == dev && stat.ino() == ino;
        }
    }

    private final Path stateDir;
    private final String fileName;
    private final String algorithm;
    private final String target;
    private final Map<String, Entry> entries;
    /** Changes to {@link #entries}, and how many of them the file holds: a restore that skipped everything writes nothing. */
    private final AtomicLong changes = new AtomicLong();
    private long changesSaved;

    private RestoreRecords(Path stateDir, String fileName, String algorithm, String target, Map<String, Entry> entries) {
        this.stateDir = stateDir;
        this.fileName = fileName;
        this.algorithm = algorithm;
        this.target = target;
        this.entries = entries;
    }

    /** The records for {@code realTarget}, empty when there are none (or none usable). */
    static RestoreRecords load(Path stateDir, Path realTarget, HashAlgorithm algorithm) {
        String target = realTarget.toString();
        String name = HashAlgorithm.SHA256.digest(target.getBytes(StandardCharsets.UTF_8)).hash().substring(0, 32)
                + ".restore";
        Map<String, Entry> entries = new ConcurrentHashMap<>();
        try {
            byte[] bytes = Files.readAllBytes(stateDir.resolve(name));
            decode(bytes, algorithm.id(), target, entries);
        } catch (IOException | RuntimeException unreadable) {
            entries.clear(); // missing or unusable: start without records, every file is checked by writing it
        }
        return new RestoreRecords(stateDir, name, algorithm.id(), target, entries);
    }

    Path file() {
        return stateDir.resolve(fileName);
    }

    Entry get(String path) {
        return entries.get(path);
    }

    void put(String path, Entry entry) {
        entries.put(path, entry);
        changes.incrementAndGet();
    }

    void remove(String path) {
        if (entries.remove(path) != null) {
            changes.incrementAndGet();
        }
    }

    int size() {
        return entries.size();
    }

    /**
     * Writes the records atomically. Entries whose file changed in the filesystem's current clock
     * tick are left out of the file (kept in memory); with {@code settle}, the save first waits for
     * the clock to move past the newest entry so that all of them can be kept.
     */
    synchronized void save(boolean settle) throws IOException {
        long changesNow = changes.get();
        if (changesNow == changesSaved) {
            return;
        }
        Files.createDirectories(stateDir);
        long now = fsClock();
        if (settle) {
            long newest = entries.values().stream().mapToLong(Entry::ctimeNanos).max().orElse(Long.MIN_VALUE);
            for (int i = 0; i < MAX_SETTLE_WAITS && now <= newest; i++) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                now = fsClock();
            }
        }
        List<Map.Entry<String, Entry>> stable = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue().ctimeNanos() < now) {
                stable.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        boolean complete = stable.size() == entries.size();
        stable.sort(Map.Entry.comparingByKey());
        byte[] bytes = encode(stable);
        Path tmp = stateDir.resolve(fileName + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                var buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (complete) {
            changesSaved = changesNow;
        }
    }

    /** The filesystem's idea of "now", in the same clock and granularity as file ctimes. */
    private long fsClock() throws IOException {
        Path probe = stateDir.resolve(fileName + ".clock-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.write(probe, new byte[] {1}, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return ((FileTime) Files.getAttribute(probe, "unix:ctime", LinkOption.NOFOLLOW_LINKS))
                    .to(TimeUnit.NANOSECONDS);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private byte[] encode(List<Map.Entry<String, Entry>> stable) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + stable.size() * 96);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeByte(VERSION);
        writeString(out, algorithm);
        writeString(out, target);
        out.writeInt(stable.size());
        for (Map.Entry<String, Entry> e : stable) {
            Entry entry = e.getValue();
            writeString(out, e.getKey());
            out.writeLong(entry.size());
            out.writeLong(entry.mtimeNanos());
            out.writeLong(entry.ctimeNanos());
            out.writeLong(entry.dev());
            out.writeLong(entry.ino());
            out.write(HEX.parseHex(entry.hash()));
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    /** Decodes into {@code entries}; a ByteBuffer, not a DataInputStream, since an all-cached restore of thousands of files waits for it. */
    private static void decode(byte[] bytes, String algorithm, String target, Map<String, Entry> entries)
            throws IOException {
        if (bytes.length < MAGIC.length + 1 + 8) {
            throw new IOException("too short");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 8);
        if (ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() != crc.getValue()) {
            throw new IOException("checksum mismatch");
        }
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC) || Byte.toUnsignedInt(in.get()) != VERSION) {
            throw new IOException("not a restore record file of version " + VERSION);
        }
        if (!readString(in).equals(algorithm) || !readString(in).equals(target)) {
            return;
        }
        int count = in.getInt();
        byte[] hash = new byte[32];
        for (int i = 0; i < count; i++) {
            String path = readString(in);
            long size = in.getLong();
            long mtime = in.getLong();
            long ctime = in.getLong();
            long dev = in.getLong();
            long ino = in.getLong();
            in.get(hash);
            entries.put(path, new Entry(size, mtime, ctime, dev, ino, HEX.formatHex(hash)));
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer in) throws IOException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IOException("bad string length " + length);
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }
}
