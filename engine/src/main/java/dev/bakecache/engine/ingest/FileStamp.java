package dev.bakecache.engine.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code lstat} says about a file, enough to tell that it has not changed since it was
 * last hashed without reading it (as git's index does): size, modification and change times in
 * nanoseconds, and inode. An edit that keeps the size still moves mtime and ctime; a file
 * replaced by another (rename over it) has a new inode; {@code touch -d} to an old mtime still
 * moves ctime.
 */
public record FileStamp(long size, long mtimeNanos, long ctimeNanos, long inode, int mode) {

    private static final String ATTRIBUTES = "unix:size,lastModifiedTime,ctime,ino,mode";

    public static FileStamp of(Path file) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return new FileStamp((Long) attrs.get("size"),
                nanos((FileTime) attrs.get("lastModifiedTime")),
                nanos((FileTime) attrs.get("ctime")),
                (Long) attrs.get("ino"),
                (Integer) attrs.get("mode"));
    }

    private static long nanos(FileTime time) {
        return time.to(TimeUnit.NANOSECONDS);
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
