package dev.bakecache.engine.restore;

import dev.bakecache.engine.files.Lstat;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The target directory of one restore, its restore records, and the checks that keep every write
 * inside it: every directory on the way to an entry is checked with an lstat (no symlink
 * following) and created by the restorer itself when missing; a symlink there, whatever it points
 * to, fails the restore with a {@link RestoreException} naming the manifest key, the entry and the
 * symlink. A regular file (or other non-directory) where the manifest needs a directory is
 * replaced by a directory. The target directory itself is the caller's choice and may be a symlink.
 *
 * @param key     the manifest being restored, for the messages
 * @param root    the real path of the target directory
 * @param records what earlier restores wrote there
 */
record TargetDirectory(String key, Path root, RestoreRecords records) {

    /** The real path of {@code target} (created when missing) and the records kept for it under {@code stateDir}. */
    static TargetDirectory open(String key, Path target, Path stateDir, HashAlgorithm algorithm)
            throws RestoreException {
        Path absolute = target.toAbsolutePath().normalize();
        Path root;
        try {
            if (!Files.isDirectory(absolute)) {
                Files.createDirectories(absolute);
            }
            root = absolute.toRealPath();
        } catch (IOException e) {
            throw new RestoreException(key, null, "cannot use " + absolute + " as the target directory ("
                    + RestoreException.describe(e) + ")", e);
        }
        return new TargetDirectory(key, root, RestoreRecords.load(stateDir, root, algorithm));
    }

    Path resolve(String rel) {
        return root.resolve(rel);
    }

    /**
     * Every directory the manifest lists or its entries need, parents first, checked and created
     * one by one.
     *
     * @param entries     every path of the manifest
     * @param directories the directories it lists (empty ones too)
     */
    void createDirectories(Collection<String> entries, Collection<String> directories) throws RestoreException {
        TreeMap<String, String> needed = new TreeMap<>(); // directory -> first entry that needs it
        for (String path : entries) {
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                needed.putIfAbsent(path.substring(0, slash), path);
            }
        }
        directories.forEach(d -> needed.putIfAbsent(d, d));
        for (Map.Entry<String, String> dir : needed.entrySet()) { // sorted: "a" before "a/b"
            ensureDirectory(dir.getKey(), dir.getValue(), true);
        }
    }

    /** Checks every directory above {@code path} once more, right before the entry is written. */
    void checkParents(String path) throws RestoreException {
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
            throw new RestoreException(key, entry, "cannot create directory '" + dir + "' ("
                    + RestoreException.describe(e) + ")", e);
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
}
