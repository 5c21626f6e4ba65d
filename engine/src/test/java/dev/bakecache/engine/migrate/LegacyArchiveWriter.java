package dev.bakecache.engine.migrate;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes archives of the legacy cache, {@code <recipe key>.tar.zst}: a tar of a recipe's outputs
 * (paths relative to the project root), zstd-compressed with a checksum as the {@code zstd} tool
 * does. Entries are described by their tar headers only, so hostile archives (absolute paths,
 * {@code ..}, links out of the tree, devices, FIFOs, duplicates) are written without creating
 * any of it on disk; damaged ones are made by cutting or flipping the bytes of {@link #tar} and
 * {@link #zstd}.
 */
public final class LegacyArchiveWriter {

    /** One tar entry as its header declares it. */
    public record Entry(String name, byte type, int mode, byte[] content, String linkTarget) {

        public static Entry file(String name, String content) {
            return file(name, content.getBytes(StandardCharsets.UTF_8));
        }

        public static Entry file(String name, byte[] content) {
            return new Entry(name, TarConstants.LF_NORMAL, 0644, content, null);
        }

        public static Entry executable(String name, byte[] content) {
            return new Entry(name, TarConstants.LF_NORMAL, 0755, content, null);
        }

        public static Entry directory(String name) {
            return new Entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, 0755, new byte[0], null);
        }

        public static Entry symlink(String name, String target) {
            return new Entry(name, TarConstants.LF_SYMLINK, 0777, new byte[0], target);
        }

        public static Entry hardLink(String name, String target) {
            return new Entry(name, TarConstants.LF_LINK, 0644, new byte[0], target);
        }

        public static Entry characterDevice(String name) {
            return new Entry(name, TarConstants.LF_CHR, 0600, new byte[0], null);
        }

        public static Entry fifo(String name) {
            return new Entry(name, TarConstants.LF_FIFO, 0600, new byte[0], null);
        }
    }

    private LegacyArchiveWriter() {
    }

    /** Writes {@code entries} as a tar, zstd-compressed, to {@code archive}. */
    public static Path write(Path archive, List<Entry> entries) throws IOException {
        return Files.write(archive, zstd(tar(entries)));
    }

    /** The uncompressed tar of {@code entries}, in order, names exactly as given (absolute ones too). */
    public static byte[] tar(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : entries) {
                TarArchiveEntry header = new TarArchiveEntry(entry.name(), entry.type(), true);
                header.setMode(modeBits(entry.type()) | entry.mode());
                header.setSize(entry.content().length);
                if (entry.linkTarget() != null) {
                    header.setLinkName(entry.linkTarget());
                }
                tar.putArchiveEntry(header);
                tar.write(entry.content());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** One zstd frame of {@code data}, with a content checksum. */
    public static byte[] zstd(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new ZstdOutputStream(bytes, 3).setChecksum(true)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static int modeBits(byte type) {
        return switch (type) {
            case TarConstants.LF_DIR -> 0040000;
            case TarConstants.LF_SYMLINK -> 0120000;
            case TarConstants.LF_CHR -> 0020000;
            case TarConstants.LF_FIFO -> 0010000;
            default -> 0100000;
        };
    }
}
