package dev.bakecache.engine.ingest;

import dev.bakecache.engine.files.Lstat;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What {@code lstat} says about a file, enough to tell that it has not changed since it was
 * last hashed without reading it (as git's index does): size, modification and change times in
 * nanoseconds, and inode. An edit that keeps the size still moves mtime and ctime; a file
 * replaced by another (rename over it) has a new inode; {@code touch -d} to an old mtime still
 * moves ctime.
 */
public record FileStamp(long size, long mtimeNanos, long ctimeNanos, long inode, int mode) {

    public static FileStamp of(Path file) throws IOException {
        Lstat stat = Lstat.of(file);
        if (stat == null) {
            throw new NoSuchFileException(file.toString());
        }
        return of(stat);
    }

    public static FileStamp of(Lstat stat) {
        return new FileStamp(stat.size(), stat.mtimeNanos(), stat.ctimeNanos(), stat.ino(), stat.mode());
    }

    public boolean executable() {
        return (mode & 0100) != 0;
    }

    private static final int TYPE_MASK = 0170000;

    public boolean isRegularFile() {
        return (mode & TYPE_MASK) == 0100000;
    }

    public boolean isDirectory() {
        return (mode & TYPE_MASK) == 0040000;
    }

    public boolean isSymbolicLink() {
        return (mode & TYPE_MASK) == 0120000;
    }
}
