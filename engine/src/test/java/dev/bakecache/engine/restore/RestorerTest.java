package dev.bakecache.engine.restore;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.LocalConfig;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.OutputDirectory;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.manifest.OutputSymlink;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.CasLayout;
import dev.bakecache.engine.store.LocalBlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RestorerTest {

    private static final HashAlgorithm ALGORITHM = HashAlgorithm.BLAKE3;

    @TempDir
    Path tmp;
    private Path target;
    private Path stateDir;
    private LocalBlobStore blobs;
    private LocalBlobStore chunks;

    @BeforeEach
    void open() throws IOException {
        CasLayout layout = new CasLayout(tmp.resolve("cache"));
        blobs = LocalBlobStore.open(layout, BlobKind.BLOB, ALGORITHM, CompressionPolicy.defaults());
        chunks = LocalBlobStore.open(layout, BlobKind.CHUNK, ALGORITHM, CompressionPolicy.defaults());
        target = tmp.resolve("target");
        stateDir = tmp.resolve("state");
    }

    // ---------------------------------------------------------------- fixtures

    /** As a process that cannot write through read-only files (not root), so that links are made when asked for. */
    private Restorer restorer(boolean hardLinks) {
        return new Restorer(blobs, chunks, ALGORITHM, hardLinks, 2, stateDir, () -> false);
    }

    private RestoreReport restore(boolean hardLinks, ActionResult manifest) throws IOException {
        return restorer(hardLinks).restore(manifest, target, ProgressListener.NONE);
    }

    private static ActionResult manifest(List<OutputFile> files, List<OutputDirectory> dirs, List<OutputSymlink> links) {
        return new ActionResult("app-build", ALGORITHM.id(), files, dirs, links, null, Instant.now(), null);
    }

    private static ActionResult manifest(OutputFile... files) {
        return manifest(List.of(files), List.of(), List.of());
    }

    private Digest put(LocalBlobStore store, byte[] content) throws IOException {
        Digest digest = ALGORITHM.digest(content);
        store.put(digest, new ByteArrayInputStream(content));
        return digest;
    }

    private OutputFile file(String path, byte[] content, boolean executable) throws IOException {
        return new OutputFile(path, put(blobs, content), executable);
    }

    /** Stores {@code content} as chunks of {@code chunkSize} bytes only (no whole-file blob). */
    private OutputFile chunkedFile(String path, byte[] content, int chunkSize) throws IOException {
        List<Digest> parts = new ArrayList<>();
        for (int at = 0; at < content.length; at += chunkSize) {
            parts.add(put(chunks, Arrays.copyOfRange(content, at, Math.min(content.length, at + chunkSize))));
        }
        return new OutputFile(path, ALGORITHM.digest(content), false, parts);
    }

    /** Incompressible: stored raw, so it can be hard-linked. */
    @Test
    void rerunRemovesTheTemporaryFilesAKilledRestoreLeftAndNothingElse() throws IOException {
        OutputFile file = file("lib/a.bin", random(5000, 1), false);
        ActionResult manifest = manifest(file);
        restore(false, manifest);
        Path lib = target.resolve("lib");
        Path leftover = Files.write(lib.resolve(".a.bin.bake-tmp-8123456789abcdef"), random(100, 2));
        Files.setLastModifiedTime(leftover, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path ofARestoreRunningNow = Files.write(lib.resolve(".b.bin.bake-tmp-8fedcba987654321"), random(100, 3));
        Files.setLastModifiedTime(ofARestoreRunningNow, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Path notOurs = Files.write(lib.resolve(".a.bin.bake-tmp-keep"), random(100, 4));
        Files.setLastModifiedTime(notOurs, FileTime.fromMillis(0));
        Files.delete(lib.resolve("a.bin")); // the killed run had not renamed it into place

        restore(false, manifest);

        assertThat(leftover).doesNotExist();
        assertThat(ofARestoreRunningNow).exists();
        assertThat(notOurs).exists();
        assertThat(lib.resolve("a.bin")).hasBinaryContent(random(5000, 1));
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Compressible and above the compression threshold: stored as zstd. */
    static byte[] text(int size, long seed) {
        StringBuilder sb = new StringBuilder();
        Random random = new Random(seed);
        while (sb.length() < size) {
            sb.append("line ").append(random.nextInt(1000)).append(": the quick brown fox\n");
        }
        return sb.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static Object inode(Path p) throws IOException {
        return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    private static void flipOneByte(Path file, int at) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        byte[] bytes = Files.readAllBytes(file);
        bytes[at] ^= 0x01;
        Files.write(file, bytes);
    }

    /** Overwrites the start of a file through its own inode, as root can even where it is read-only. */
    private static void editInPlace(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), 0);
        }
    }

    private static boolean runningAsRoot(Path dir) throws IOException {
        Path mine = Files.createTempFile(dir, "owner-", "");
        try {
            return Files.getOwner(mine).getName().equals("root");
        } finally {
            Files.delete(mine);
        }
    }

    private static List<Path> tempFilesUnder(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().contains(".bake-tmp-")).toList();
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    // ---------------------------------------------------------------- what a restore produces

    @Test
    void restoresFilesDirsSymlinksAndExecBits() throws IOException {
        byte[] app = utf8("console.log('hello')\n");
        byte[] run = utf8("#!/bin/sh\necho run\n");
        byte[] data = random(20_000, 1);
        byte[] big = text(50_000, 2);
        ActionResult manifest = manifest(
                List.of(file("dist/app.js", app, false), file("bin/run", run, true),
                        file("lib/deep/nested/data.bin", data, false), file("lib/big.txt", big, false),
                        file("empty.txt", new byte[0], false)),
                List.of(new OutputDirectory("empty"), new OutputDirectory("dist"), new OutputDirectory("cache/a/b")),
                List.of(new OutputSymlink("dist/latest.js", "app.js"), new OutputSymlink("current", "dist"),
                        new OutputSymlink("lib/deep/up", "../big.txt")));
        AtomicLong files = new AtomicLong();
        AtomicLong bytes = new AtomicLong();

        RestoreReport report = restorer(false).restore(manifest, target, (f, b) -> {
            files.addAndGet(f);
            bytes.addAndGet(b);
        });

        assertThat(target.resolve("dist/app.js")).hasBinaryContent(app);
        assertThat(target.resolve("bin/run")).hasBinaryContent(run);
        assertThat(target.resolve("lib/deep/nested/data.bin")).hasBinaryContent(data);
        assertThat(target.resolve("lib/big.txt")).hasBinaryContent(big);
        assertThat(target.resolve("empty.txt")).isRegularFile().isEmptyFile();
        assertThat(mode(target.resolve("bin/run"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(target.resolve("dist/app.js"))).isEqualTo("rw-r--r--");
        assertThat(mode(target.resolve("lib/big.txt"))).isEqualTo("rw-r--r--");
        assertThat(target.resolve("empty")).isDirectory().isEmptyDirectory();
        assertThat(target.resolve("cache/a/b")).isDirectory().isEmptyDirectory();
        assertThat(Files.readSymbolicLink(target.resolve("dist/latest.js"))).isEqualTo(Path.of("app.js"));
        assertThat(Files.readSymbolicLink(target.resolve("current"))).isEqualTo(Path.of("dist"));
        assertThat(Files.readSymbolicLink(target.resolve("lib/deep/up"))).isEqualTo(Path.of("../big.txt"));
        assertThat(target.resolve("current/latest.js")).hasBinaryContent(app);
        assertThat(tempFilesUnder(target)).isEmpty();

        assertThat(report.filesTotal()).isEqualTo(5);
        assertThat(report.filesWritten()).isEqualTo(5);
        assertThat(report.filesSkipped()).isZero();
        assertThat(report.filesLinked()).isZero();
        assertThat(report.bytesTotal()).isEqualTo(manifest.totalBytes());
        assertThat(report.bytesWritten()).isEqualTo(manifest.totalBytes());
        assertThat(report.blobsRead()).containsAll(manifest.outputFiles().stream()
                .filter(f -> f.digest().size() > 0).map(OutputFile::digest).toList());
        assertThat(report.chunksRead()).isEmpty();
        assertThat(files.get()).isEqualTo(5);
        assertThat(bytes.get()).isEqualTo(manifest.totalBytes());
        assertThat(report.summary()).matches("restored 5 files \\(5 written, 0 already right, 0 linked\\), "
                + "\\d+\\.\\d KiB in \\d+\\.\\d\\d s");
    }

    @Test
    void chunkedFileIsReassembled() throws IOException {
        byte[] content = new byte[300_000];
        System.arraycopy(random(150_000, 3), 0, content, 0, 150_000);
        System.arraycopy(text(150_000, 4), 0, content, 150_000, 150_000);
        OutputFile model = chunkedFile("models/model.bin", content, 64 * 1024);

        RestoreReport report = restore(true, manifest(model));

        assertThat(target.resolve("models/model.bin")).hasBinaryContent(content);
        assertThat(report.chunksRead()).containsExactlyInAnyOrderElementsOf(model.chunks());
        assertThat(report.blobsRead()).isEmpty();
        assertThat(report.filesWritten()).isEqualTo(1);
        assertThat(report.filesLinked()).isZero();
    }

    @Test
    void chunksInTheWrongOrderFailTheWholeFileCheck() throws IOException {
        byte[] content = random(200_000, 5);
        OutputFile right = chunkedFile("big.bin", content, 64 * 1024);
        List<Digest> swapped = new ArrayList<>(right.chunks());
        java.util.Collections.swap(swapped, 0, 1);
        OutputFile wrong = new OutputFile("big.bin", right.digest(), false, swapped);

        assertThatThrownBy(() -> restore(false, manifest(wrong)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'big.bin'")
                .hasMessageContaining(right.digest().toString());
        assertThat(target.resolve("big.bin")).doesNotExist();
        assertThat(tempFilesUnder(target)).isEmpty();
    }

    // ---------------------------------------------------------------- verification

    @Test
    void corruptBlobIsNeverRestored() throws IOException {
        // a raw blob, over an existing file: the old content stays
        byte[] raw = random(4096, 6);
        OutputFile rawFile = file("dist/app.bin", raw, false);
        Files.createDirectories(target.resolve("dist"));
        Files.writeString(target.resolve("dist/app.bin"), "old content");
        flipOneByte(blobs.pathOf(rawFile.digest()), 100);

        assertThatThrownBy(() -> restore(false, manifest(rawFile)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("app-build")
                .hasMessageContaining("'dist/app.bin'")
                .hasMessageContaining(rawFile.digest().toString())
                .hasMessageContaining("corrupt");
        assertThat(target.resolve("dist/app.bin")).hasContent("old content");

        // a zstd blob, where nothing existed: nothing appears
        byte[] compressible = text(64 * 1024, 7);
        OutputFile zstdFile = file("dist/new.txt", compressible, false);
        assertThat(blobs.isRaw(zstdFile.digest())).isFalse();
        Path blob = blobs.pathOf(zstdFile.digest());
        flipOneByte(blob, (int) Files.size(blob) / 2);

        assertThatThrownBy(() -> restore(false, manifest(zstdFile)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'dist/new.txt'")
                .hasMessageContaining(zstdFile.digest().toString());
        assertThat(target.resolve("dist/new.txt")).doesNotExist();
        assertThat(tempFilesUnder(target)).isEmpty();
    }

    @Test
    void restoreRefusesABlobWhoseBytesRotted() throws IOException {
        OutputFile file = file("lib/a.bin", random(8192, 20), false);
        flipOneByte(blobs.pathOf(file.digest()), 4000);

        assertThatThrownBy(() -> restore(false, manifest(file)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'lib/a.bin'")
                .hasMessageContaining("the content for digest " + file.digest() + " is corrupt")
                .hasMessageContaining("run verify");
        assertThat(target.resolve("lib/a.bin")).doesNotExist();
        assertThat(tempFilesUnder(target)).isEmpty();
    }

    @Test
    void missingBlobFailsNamingPathAndDigest() throws IOException {
        OutputFile file = new OutputFile("out/gone.txt", ALGORITHM.digest(utf8("never stored")), false);

        assertThatThrownBy(() -> restore(true, manifest(file)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'out/gone.txt'")
                .hasMessageContaining(file.digest().toString())
                .hasMessageContaining("not in the cache");
        assertThat(target.resolve("out/gone.txt")).doesNotExist();
    }

    // ---------------------------------------------------------------- symlinks planted in the target

    @Test
    void refusesToWriteThroughSymlinkedParent() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Files.createDirectories(target);
        Files.createSymbolicLink(target.resolve("dist"), outside);
        ActionResult manifest = manifest(file("dist/app.js", utf8("evil?"), false));

        assertThatThrownBy(() -> restore(false, manifest))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("app-build")
                .hasMessageContaining("'dist/app.js'")
                .hasMessageContaining("'dist' in the target is a symlink")
                .hasMessageContaining(outside.toString());

        assertThat(listing(outside)).containsExactly("", "keep.txt");
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
        assertThat(Files.isSymbolicLink(target.resolve("dist"))).isTrue();
    }

    @Test
    void refusesSymlinksDeeperInThePathAndAtManifestDirectories() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(target.resolve("a"));
        Files.createSymbolicLink(target.resolve("a/b"), Path.of("../../outside"));
        Files.createSymbolicLink(target.resolve("empty"), outside);

        assertThatThrownBy(() -> restore(false, manifest(file("a/b/c/x.txt", utf8("x"), false))))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'a/b/c/x.txt'")
                .hasMessageContaining("'a/b' in the target is a symlink");
        assertThatThrownBy(() -> restore(false, manifest(List.of(), List.of(new OutputDirectory("empty/sub")),
                List.of())))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'empty' in the target is a symlink");
        assertThatThrownBy(() -> restore(false, manifest(List.of(), List.of(),
                List.of(new OutputSymlink("a/b/link", "x")))))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'a/b/link'");

        assertThat(listing(outside)).containsExactly("");
    }

    @Test
    void replacesSymlinkAtFilePath() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim.txt"), "secret");
        Files.createDirectories(target.resolve("dist"));
        Files.createSymbolicLink(target.resolve("dist/app.js"), outside.resolve("victim.txt"));
        Files.createSymbolicLink(target.resolve("dist/dangling.js"), outside.resolve("created-by-restore.txt"));
        Files.createSymbolicLink(target.resolve("dist/latest.js"), outside.resolve("victim.txt"));
        byte[] app = utf8("real app");
        ActionResult manifest = manifest(
                List.of(file("dist/app.js", app, false), file("dist/dangling.js", utf8("dangling no more"), true)),
                List.of(), List.of(new OutputSymlink("dist/latest.js", "app.js")));

        restore(false, manifest);

        assertThat(Files.isSymbolicLink(target.resolve("dist/app.js"))).isFalse();
        assertThat(target.resolve("dist/app.js")).isRegularFile().hasBinaryContent(app);
        assertThat(target.resolve("dist/dangling.js")).isRegularFile().hasContent("dangling no more");
        assertThat(Files.readSymbolicLink(target.resolve("dist/latest.js"))).isEqualTo(Path.of("app.js"));
        assertThat(listing(outside)).containsExactly("", "victim.txt");
        assertThat(outside.resolve("victim.txt")).hasContent("secret");
    }

    @Test
    void replacesDirectoryWhereAFileGoesAndFileWhereADirectoryGoes() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Files.createDirectories(target.resolve("out/app.js/old"));
        Files.createSymbolicLink(target.resolve("out/app.js/old/escape"), outside);
        Files.writeString(target.resolve("lib"), "a file where a directory goes");

        restore(false, manifest(file("out/app.js", utf8("app"), false), file("lib/x.js", utf8("x"), false)));

        assertThat(target.resolve("out/app.js")).isRegularFile().hasContent("app");
        assertThat(target.resolve("lib/x.js")).hasContent("x");
        assertThat(listing(outside)).containsExactly("", "keep.txt");
    }

    @Test
    void rejectsEntriesBelowAFileOrSymlinkOfTheSameManifest() throws IOException {
        OutputFile a = file("a", utf8("a"), false);
        OutputFile below = file("a/b", utf8("b"), false);
        assertThatThrownBy(() -> restore(false, manifest(a, below)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'a/b'")
                .hasMessageContaining("lists as a file");
        ActionResult throughLink = manifest(List.of(file("real/x", utf8("x"), false), file("link/y", utf8("y"), false)),
                List.of(), List.of(new OutputSymlink("link", "real")));
        assertThatThrownBy(() -> restore(false, throughLink))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'link/y'")
                .hasMessageContaining("lists as a symlink");
        assertThat(target.resolve("real/x")).doesNotExist();
    }

    @Test
    void leavesEntriesNotInTheManifestAlone() throws IOException {
        Files.createDirectories(target.resolve("dist/old"));
        Files.writeString(target.resolve("dist/stale.js"), "stale");
        Files.createSymbolicLink(target.resolve("dist/stale-link"), Path.of("stale.js"));

        restore(false, manifest(file("dist/app.js", utf8("app"), false)));

        assertThat(listing(target)).containsExactly("", "dist", "dist/app.js", "dist/old", "dist/stale-link",
                "dist/stale.js");
        assertThat(target.resolve("dist/stale.js")).hasContent("stale");
    }

    // ---------------------------------------------------------------- skipping what is already right

    @Test
    void secondRestoreSkipsFilesAlreadyRight() throws IOException {
        ActionResult manifest = manifest(List.of(file("dist/app.js", utf8("app"), false),
                        file("bin/tool", random(3000, 8), true), file("lib/big.txt", text(40_000, 9), false),
                        chunkedFile("lib/huge.bin", random(150_000, 10), 64 * 1024)),
                List.of(new OutputDirectory("empty")), List.of(new OutputSymlink("latest", "dist/app.js")));
        restore(false, manifest);
        Object inodeBefore = inode(target.resolve("lib/big.txt"));

        RestoreReport again = new Restorer(blobs, chunks, ALGORITHM, false, 2, stateDir)
                .restore(manifest, target, ProgressListener.NONE);

        assertThat(again.filesSkipped()).isEqualTo(4);
        assertThat(again.filesWritten()).isZero();
        assertThat(again.bytesWritten()).isZero();
        assertThat(again.blobsRead()).isEmpty();
        assertThat(again.chunksRead()).isEmpty();
        assertThat(inode(target.resolve("lib/big.txt"))).isEqualTo(inodeBefore);
        assertThat(again.summary()).startsWith("restored 4 files (0 written, 4 already right, 0 linked), ");

        Files.delete(target.resolve("dist/app.js"));
        RestoreReport third = restore(false, manifest);
        assertThat(third.filesWritten()).isEqualTo(1);
        assertThat(third.filesSkipped()).isEqualTo(3);
        assertThat(target.resolve("dist/app.js")).hasContent("app");
    }

    @Test
    void fileWithSameSizeButChangedContentIsRewritten() throws IOException {
        byte[] original = utf8("version=1.0.0\n");
        ActionResult manifest = manifest(file("dist/version.txt", original, false), file("bin/run", utf8("#!"), true));
        restore(false, manifest);
        Path version = target.resolve("dist/version.txt");
        FileTime restoredMtime = Files.getLastModifiedTime(version);

        // same size, other content, other mtime
        Files.write(version, utf8("version=9.9.9\n"));
        Files.setLastModifiedTime(version, FileTime.from(restoredMtime.toInstant().minusSeconds(60)));
        RestoreReport report = restore(false, manifest);
        assertThat(version).hasBinaryContent(original);
        assertThat(report.filesWritten()).isEqualTo(1);
        assertThat(report.filesSkipped()).isEqualTo(1);

        // same size, other content, even the mtime put back: ctime still tells
        FileTime mtime = Files.getLastModifiedTime(version);
        Files.write(version, utf8("version=6.6.6\n"));
        Files.setLastModifiedTime(version, mtime);
        assertThat(restore(false, manifest).filesWritten()).isEqualTo(1);
        assertThat(version).hasBinaryContent(original);

        // the exec bit taken away
        Files.setPosixFilePermissions(target.resolve("bin/run"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(restore(false, manifest).filesWritten()).isEqualTo(1);
        assertThat(mode(target.resolve("bin/run"))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void reRestoreRewritesAFileEditedInPlace() throws IOException {
        byte[] content = random(8192, 21);
        ActionResult manifest = manifest(file("lib/a.bin", content, false));
        restore(false, manifest);
        Path restored = target.resolve("lib/a.bin");
        Object editedInode = inode(restored);
        editInPlace(restored, utf8("edited"));

        RestoreReport again = restore(false, manifest);

        assertThat(again.filesWritten()).isEqualTo(1);
        assertThat(again.filesSkipped()).isZero();
        assertThat(restored).hasBinaryContent(content);
        assertThat(inode(restored)).as("replaced, not written through").isNotEqualTo(editedInode);
    }

    @Test
    void sameSizeFileNeverRestoredBeforeIsRewritten() throws IOException {
        byte[] wanted = utf8("hello world");
        Files.createDirectories(target);
        Files.write(target.resolve("greeting.txt"), utf8("HELLO WORLD"));

        RestoreReport report = restore(false, manifest(file("greeting.txt", wanted, false)));

        assertThat(report.filesWritten()).isEqualTo(1);
        assertThat(target.resolve("greeting.txt")).hasBinaryContent(wanted);
    }

    @Test
    void failedRestoreKeepsProgressForTheNextRun() throws IOException {
        List<OutputFile> good = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            good.add(file("a/file-" + i + ".txt", utf8("content " + i), false));
        }
        OutputFile bad = file("z/corrupt.bin", random(2048, 11), false);
        flipOneByte(blobs.pathOf(bad.digest()), 0);
        List<OutputFile> all = new ArrayList<>(good);
        all.add(bad);
        Restorer oneThread = new Restorer(blobs, chunks, ALGORITHM, false, 1, stateDir);

        assertThatThrownBy(() -> oneThread.restore(manifest(all, List.of(), List.of()), target, null))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'z/corrupt.bin'");

        RestoreReport retry = oneThread.restore(manifest(good, List.of(), List.of()), target, null);
        assertThat(retry.filesSkipped()).isEqualTo(5);
        assertThat(retry.filesWritten()).isZero();
    }

    @Test
    void unreadableRecordsAreIgnored() throws IOException {
        ActionResult manifest = manifest(file("x.txt", utf8("x"), false));
        restore(false, manifest);
        try (Stream<Path> files = Files.list(stateDir)) {
            for (Path record : files.toList()) {
                Files.write(record, utf8("garbage"));
            }
        }

        RestoreReport report = restore(false, manifest);

        assertThat(report.filesWritten()).isEqualTo(1);
        assertThat(restore(false, manifest).filesSkipped()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- copies, and hard links on request

    @Test
    void restoreCopiesSoAnEditOfTheRestoredFileLeavesTheStoreIntact() throws IOException {
        byte[] content = random(8192, 22);
        OutputFile file = file("lib/a.bin", content, false);
        Path blobFile = blobs.pathOf(file.digest());
        assertThat(blobs.isRaw(file.digest())).isTrue();

        RestoreReport report = new Restorer(blobs, chunks, ALGORITHM, LocalConfig.defaults().useHardLinks(), 2,
                stateDir).restore(manifest(file), target, null);

        Path restored = target.resolve("lib/a.bin");
        assertThat(report.filesWritten()).isEqualTo(1);
        assertThat(report.filesLinked()).isZero();
        assertThat(inode(restored)).isNotEqualTo(inode(blobFile));
        assertThat(mode(restored)).isEqualTo("rw-r--r--");
        editInPlace(restored, utf8("edited"));
        assertThat(blobFile).hasBinaryContent(content);
        try (InputStream in = blobs.get(file.digest())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void hardLinksRawBlobsWhenEnabled() throws IOException {
        byte[] content = random(8192, 12);
        OutputFile a = file("lib/a.bin", content, false);
        OutputFile b = new OutputFile("lib/copy-of-a.bin", a.digest(), false);
        Path blobFile = blobs.pathOf(a.digest());
        assertThat(blobs.isRaw(a.digest())).isTrue();

        RestoreReport report = restore(true, manifest(a, b));

        Path restored = target.resolve("lib/a.bin");
        assertThat(report.filesLinked()).isEqualTo(2);
        assertThat(report.filesWritten()).isZero();
        assertThat(report.bytesWritten()).isZero();
        assertThat(report.blobsRead()).containsExactly(a.digest());
        assertThat(inode(restored)).isEqualTo(inode(blobFile));
        assertThat(inode(target.resolve("lib/copy-of-a.bin"))).isEqualTo(inode(blobFile));
        assertThat(restored).hasBinaryContent(content);
        assertThat(mode(restored)).isEqualTo("r--r--r--");

        // editing in place is refused (root ignores file modes, so only checked for other users)
        if (!Files.isWritable(restored)) {
            assertThatThrownBy(() -> {
                try (OutputStream out = Files.newOutputStream(restored)) {
                    out.write(1);
                }
            }).isInstanceOf(AccessDeniedException.class);
        }
        // tools that replace files leave the cache alone
        Path replacement = target.resolve("lib/.a.bin.new");
        Files.writeString(replacement, "rebuilt");
        Files.move(replacement, restored, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (InputStream in = blobs.get(a.digest())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }

        // the old link went, which moved the ctime of the other one too: both are linked, and hashed, again
        RestoreReport again = restore(true, manifest(a, b));
        assertThat(again.filesLinked()).isEqualTo(2);
        assertThat(inode(restored)).isEqualTo(inode(blobFile));
        assertThat(restore(true, manifest(a, b)).filesSkipped()).isEqualTo(2);
    }

    @Test
    void filesLinkedToOneBlobAreAlreadyRightNextTime() throws IOException {
        OutputFile a = file("a.bin", random(8192, 23), false);
        OutputFile b = new OutputFile("b.bin", a.digest(), false);
        restore(true, manifest(a, b));

        // the second link moved the first one's ctime; its record was taken again after it
        RestoreReport again = restore(true, manifest(a, b));

        assertThat(again.filesSkipped()).isEqualTo(2);
        assertThat(again.blobsRead()).isEmpty();
    }

    @Test
    void linkOptInHashesTheBlobBeforeLinking() throws IOException {
        OutputFile good = file("lib/good.bin", random(8192, 24), false);
        OutputFile rotten = file("lib/rotten.bin", random(8192, 25), false);
        Path rottenBlob = blobs.pathOf(rotten.digest());
        flipOneByte(rottenBlob, 10);

        assertThat(restore(true, manifest(good)).filesLinked()).isEqualTo(1);
        assertThatThrownBy(() -> restore(true, manifest(rotten)))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("'lib/rotten.bin'")
                .hasMessageContaining("the content for digest " + rotten.digest() + " is corrupt")
                .hasMessageContaining("run verify");
        assertThat(target.resolve("lib/rotten.bin")).doesNotExist();
        assertThat(tempFilesUnder(target)).isEmpty();
        assertThat(Files.getAttribute(rottenBlob, "unix:nlink")).as("no link to it is left").isEqualTo(1);
    }

    @Test
    void aLinkedFileEditedInPlaceIsNotAlreadyRight() throws IOException {
        // what the blobs' owner can do after a chmod: the edit goes through to the blob
        OutputFile file = file("lib/a.bin", random(8192, 26), false);
        ActionResult manifest = manifest(file);
        restore(true, manifest);
        editInPlace(target.resolve("lib/a.bin"), utf8("edited"));

        assertThatThrownBy(() -> restore(true, manifest))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("the content for digest " + file.digest() + " is corrupt")
                .hasMessageContaining("run verify");
    }

    @Test
    void linksAreNotMadeWhereThisProcessCanWriteThroughReadOnlyFiles() throws IOException {
        OutputFile file = file("lib/a.bin", random(8192, 27), false);
        Restorer likeRoot = new Restorer(blobs, chunks, ALGORITHM, true, 2, stateDir, () -> true);

        RestoreReport report = likeRoot.restore(manifest(file), target, null);

        assertThat(report.filesLinked()).isZero();
        assertThat(report.filesWritten()).isEqualTo(1);
        assertThat(inode(target.resolve("lib/a.bin"))).isNotEqualTo(inode(blobs.pathOf(file.digest())));
        assertThat(report.summary()).contains("(1 written, 0 already right, 0 linked; copied instead of linking: "
                + "this process can write to read-only files, as root can, so an edit of a linked file would change"
                + " the cache), ");
    }

    @Test
    void asRootTheLinkOptInCopies() throws IOException {
        assumeTrue(runningAsRoot(tmp), "runs as root");
        OutputFile file = file("lib/a.bin", random(8192, 28), false);

        RestoreReport report = new Restorer(blobs, chunks, ALGORITHM, true, 2, stateDir)
                .restore(manifest(file), target, null);

        assertThat(report.filesLinked()).isZero();
        assertThat(report.linksNotUsed()).contains("can write to read-only files");
        assertThat(inode(target.resolve("lib/a.bin"))).isNotEqualTo(inode(blobs.pathOf(file.digest())));
    }

    @Test
    void executableFilesAreCopiedNotLinked() throws IOException {
        byte[] content = random(4096, 13);
        OutputFile tool = file("bin/tool", content, true);
        assertThat(blobs.isRaw(tool.digest())).isTrue();

        RestoreReport report = restore(true, manifest(tool));

        Path restored = target.resolve("bin/tool");
        assertThat(report.filesLinked()).isZero();
        assertThat(report.filesWritten()).isEqualTo(1);
        assertThat(inode(restored)).isNotEqualTo(inode(blobs.pathOf(tool.digest())));
        assertThat(mode(restored)).isEqualTo("rwxr-xr-x");
        assertThat(mode(blobs.pathOf(tool.digest()))).isEqualTo("r--r--r--");
        assertThat(restored).hasBinaryContent(content);
    }

    @Test
    void compressedBlobsAreDecompressedNotLinked() throws IOException {
        byte[] content = text(64 * 1024, 14);
        OutputFile log = file("logs/build.log", content, false);
        assertThat(blobs.isRaw(log.digest())).isFalse();

        RestoreReport report = restore(true, manifest(log));

        Path restored = target.resolve("logs/build.log");
        assertThat(report.filesLinked()).isZero();
        assertThat(report.filesWritten()).isEqualTo(1);
        assertThat(report.bytesWritten()).isEqualTo(content.length);
        assertThat(restored).hasBinaryContent(content);
        assertThat(inode(restored)).isNotEqualTo(inode(blobs.pathOf(log.digest())));
        assertThat(mode(restored)).isEqualTo("rw-r--r--");
    }

    @Test
    void linkingFallsBackToCopyingOnAnotherFilesystem() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm));
        assumeTrue(!Files.getFileStore(shm).equals(Files.getFileStore(tmp)), "/dev/shm is another filesystem");
        Path elsewhere = Files.createTempDirectory(shm, "restorer-test-");
        try {
            OutputFile a = file("a.bin", random(4096, 15), false);
            OutputFile b = file("b.bin", random(4096, 16), false);

            RestoreReport report = restorer(true).restore(manifest(a, b), elsewhere, null);

            assertThat(report.filesLinked()).isZero();
            assertThat(report.filesWritten()).isEqualTo(2);
            assertThat(report.linksNotUsed()).startsWith("linking into the target failed (");
            assertThat(elsewhere.resolve("a.bin")).hasBinaryContent(Files.readAllBytes(blobs.pathOf(a.digest())));
            assertThat(tempFilesUnder(elsewhere)).isEmpty();
        } finally {
            try (Stream<Path> all = Files.walk(elsewhere)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    // ---------------------------------------------------------------- the rest

    @Test
    void restoresManyFilesInParallel() throws IOException {
        List<OutputFile> files = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            files.add(file("d" + (i % 7) + "/f" + i + ".txt", utf8("file number " + i), i % 5 == 0));
        }
        Restorer restorer = new Restorer(blobs, chunks, ALGORITHM, true, 8, stateDir);

        RestoreReport report = restorer.restore(manifest(files, List.of(), List.of()), target, null);

        assertThat(report.filesWritten() + report.filesLinked()).isEqualTo(120);
        for (int i = 0; i < 120; i++) {
            assertThat(target.resolve("d" + (i % 7) + "/f" + i + ".txt")).hasContent("file number " + i);
        }
        assertThat(restorer.restore(manifest(files, List.of(), List.of()), target, null).filesSkipped())
                .isEqualTo(120);
    }

    @Test
    void rejectsManifestOfAnotherHashAlgorithm() {
        ActionResult sha = new ActionResult("app-build", "sha256", List.of(), List.of(), List.of(), null, null, null);
        assertThatThrownBy(() -> restore(false, sha))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("sha256")
                .hasMessageContaining("blake3");
    }

    @Test
    void summaryUsesBinaryUnits() {
        RestoreReport report = new RestoreReport(1000, 1, 999, 0, 512L * 1024 * 1024, 1024, java.util.Set.of(),
                java.util.Set.of(), null, java.time.Duration.ofMillis(20));
        assertThat(report.summary())
                .isEqualTo("restored 1000 files (1 written, 999 already right, 0 linked), 512 MiB in 0.02 s");
    }
}
