package dev.bakecache.engine.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An lstat of one path: never follows a symlink, so a symlink is seen as itself. One system call
 * per read; the {@code unix:} attribute view is what gives inode and ctime (Linux, macOS).
 */
record Stat(int mode, long size, long mtimeNanos, long ctimeNanos, long dev, long ino, int nlink) {

    private static final String ATTRIBUTES = "unix:mode,size,lastModifiedTime,ctime,dev,ino,nlink";
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    /** The entry at {@code path} itself, or null when there is none. */
    static Stat of(Path path) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        return new Stat((Integer) a.get("mode"), (Long) a.get("size"), nanos(a.get("lastModifiedTime")),
                nanos(a.get("ctime")), (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"));
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }

    boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** Whether the exec bits are exactly what the restorer sets: all three or none. */
    boolean hasExecBits(boolean executable) {
        return (mode & 0111) == (executable ? 0111 : 0);
    }

    boolean sameInode(Stat other) {
        return other != null && dev == other.dev && ino == other.ino;
    }

    String kind() {
        return switch (mode & S_IFMT) {
            case S_IFREG -> "a regular file";
            case S_IFDIR -> "a directory";
            case S_IFLNK -> "a symlink";
            default -> "a special file";
        };
    }
}
