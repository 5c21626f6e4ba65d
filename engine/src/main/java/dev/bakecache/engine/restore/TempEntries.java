package dev.bakecache.engine.restore;

import dev.bakecache.engine.files.FileTrees;
import dev.bakecache.engine.files.Lstat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The temporary entries a restore writes every file and symlink to before renaming it over its
 * final path ({@code .<name>.bake-tmp-<16 hex>}, beside it, so the rename stays within one
 * directory), and the sweep of those a killed restore left: in a directory where this restore
 * writes, such entries older than this restore's start are deleted before it writes there, so a
 * rerun leaves the target as the manifest says. A temporary entry of a restore running now beside
 * this one is newer than that and stays.
 *
 * <p>One instance per restore call; the sweep runs on the calling thread only.
 */
final class TempEntries {

    private static final String TEMP_MARKER = ".bake-tmp-";
    private static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.bake-tmp-[0-9a-f]{16}");
    private static final int TEMP_NAME_CHARS = 48; // keeps ".<name>.bake-tmp-<hex>" under NAME_MAX

    private final String key;
    private final Path root;
    private final FileTime started = FileTime.fromMillis(System.currentTimeMillis());
    private final Set<Path> swept = new HashSet<>();

    /** @param root the real target directory of the restore of {@code key} */
    TempEntries(String key, Path root) {
        this.key = key;
        this.root = root;
    }

    /** {@code .<name>.bake-tmp-<random>} beside {@code path}, so the final rename stays within one directory. */
    static Path sibling(Path path) {
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

    /**
     * Renames a fully written temporary entry over {@code path}. rename(2) replaces a file or
     * symlink at {@code path} without following it; a directory there is deleted first.
     */
    static void moveIntoPlace(Path tmp, Path path) throws IOException {
        Lstat stat = Lstat.of(path);
        if (stat != null && stat.isDirectory()) {
            FileTrees.deleteTree(path);
        }
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Deletes the temporary entries a killed restore left in the directory of {@code rel}, once
     * per directory; only entries named as {@link #sibling} names them and older than this
     * run, never directories, never through a symlink.
     */
    void removeLeftoversBeside(String rel) throws RestoreException {
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
                    + dir + " (" + RestoreException.describe(e) + ")", e);
        }
    }
}
