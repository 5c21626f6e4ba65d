package dev.bakecache.engine.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code lstat(2)} says about a path: never follows a symlink, so a symlink is seen as
 * itself. An incremental ingest and an all-cached restore are mostly these calls, one per file,
 * so on Linux it is one {@code statx(2)} through the foreign-function API ({@link Statx}), about
 * half the cost of NIO's {@code unix:} attribute view, which builds a map of boxed values per
 * call. Elsewhere, and for any error, that view answers (and throws the usual exceptions).
 */
public record Lstat(int mode, long size, long mtimeNanos, long ctimeNanos, long dev, long ino, int nlink) {

    private static final String ATTRIBUTES = "unix:mode,size,lastModifiedTime,ctime,dev,ino,nlink";
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    /** The entry at {@code path} itself, or null when there is none. */
    public static Lstat of(Path path) throws IOException {
        Statx.Result result = Statx.lstat(path);
        if (result == Statx.Result.MISSING) {
            return null;
        }
        if (result != null) {
            return result.stat();
        }
        return viaNio(path);
    }

    /** The same answer through NIO alone (and for the tests that compare the two). */
    static Lstat viaNio(Path path) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        return new Lstat((Integer) a.get("mode"), (Long) a.get("size"), nanos(a.get("lastModifiedTime")),
                nanos(a.get("ctime")), (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"));
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** Whether the exec bits are all three or none, as the restorer sets them. */
    public boolean hasExecBits(boolean executable) {
        return (mode & 0111) == (executable ? 0111 : 0);
    }

    public String kind() {
        return switch (mode & S_IFMT) {
            case S_IFREG -> "a regular file";
            case S_IFDIR -> "a directory";
            case S_IFLNK -> "a symlink";
            default -> "a special file";
        };
    }
}
