package dev.bakecache.engine.bench;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The system bake-cache replaces, in process: one tar.zst archive per recipe (commons-compress
 * tar, zstd level 3), rewritten in full on every save and extracted in full on every restore.
 * It has no stat cache and no skip: that is what the benchmark compares against.
 */
public final class TarZstBaseline {

    public static final int LEVEL = 3;
    private static final int BUFFER = 256 * 1024;

    private TarZstBaseline() {
    }

    /** Archives every regular file under {@code tree}, in path order; returns the archive's size. */
    public static long archive(Path tree, Path archiveFile, int workers) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tree)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Files.createDirectories(archiveFile.getParent());
        Path partial = archiveFile.resolveSibling(archiveFile.getFileName() + ".partial");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), BUFFER);
             ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(file, RecyclingBufferPool.INSTANCE);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd)) {
            zstd.setLevel(LEVEL);
            if (workers > 1) {
                zstd.setWorkers(workers);
            }
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path path : files) {
                TarArchiveEntry entry = new TarArchiveEntry(path, tree.relativize(path).toString());
                tar.putArchiveEntry(entry);
                Files.copy(path, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        Files.move(partial, archiveFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Files.size(archiveFile);
    }

    /** Extracts every file of the archive under {@code target}, overwriting what is there; returns the files written. */
    public static long extract(Path archiveFile, Path target) throws IOException {
        long files = 0;
        Path root = target.toAbsolutePath().normalize();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archiveFile), BUFFER);
             InputStream zstd = new ZstdInputStreamNoFinalizer(file, RecyclingBufferPool.INSTANCE);
             TarArchiveInputStream tar = new TarArchiveInputStream(zstd)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException(archiveFile + ": entry " + entry.getName() + " leaves the target " + target);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                files++;
            }
        }
        return files;
    }

    /** Reads the archive's listing (every header, so the whole archive is decompressed); returns the entry count. */
    public static long list(Path archiveFile) throws IOException {
        long entries = 0;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archiveFile), BUFFER);
             InputStream zstd = new ZstdInputStreamNoFinalizer(file, RecyclingBufferPool.INSTANCE);
             TarArchiveInputStream tar = new TarArchiveInputStream(zstd)) {
            while (tar.getNextEntry() != null) {
                entries++;
            }
        }
        return entries;
    }
}
