package dev.bakecache.engine.files;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code opendir}/{@code readdir} from glibc, each entry stat'ed with {@link Statx#at} relative to
 * the open directory: no path is built or resolved per entry. {@code struct dirent} on 64-bit
 * glibc: {@code d_ino} u64, {@code d_off} i64, {@code d_reclen} u16, {@code d_type} u8, then
 * {@code d_name} at byte 19.
 */
final class Readdir {

    private static final long NAME_OFFSET = 19;
    private static final long NAME_MAX = 256;
    private static final MethodHandle OPENDIR;
    private static final MethodHandle READDIR;
    private static final MethodHandle DIRFD;
    private static final MethodHandle CLOSEDIR;

    static {
        MethodHandle[] handles = find();
        OPENDIR = handles[0];
        READDIR = handles[1];
        DIRFD = handles[2];
        CLOSEDIR = handles[3];
    }

    private Readdir() {
    }

    private static MethodHandle[] find() {
        if (!Statx.available() || ValueLayout.ADDRESS.byteSize() != 8) {
            return new MethodHandle[4];
        }
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            return new MethodHandle[] {
                    linker.downcallHandle(libc.find("opendir").orElseThrow(), FunctionDescriptor.of(ADDRESS, ADDRESS)),
                    linker.downcallHandle(libc.find("readdir").orElseThrow(), FunctionDescriptor.of(ADDRESS, ADDRESS)),
                    linker.downcallHandle(libc.find("dirfd").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                    linker.downcallHandle(libc.find("closedir").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS))};
        } catch (RuntimeException | LinkageError e) {
            return new MethodHandle[4];
        }
    }

    /** The directory's entries (without . and ..) with their lstat, or null when NIO must answer. */
    static List<DirectoryListing.Item> read(Path dir) {
        if (OPENDIR == null) {
            return null;
        }
        String dirName = dir.toString();
        if (dirName.indexOf('\uFFFD') >= 0 || dirName.indexOf('\0') >= 0) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stream = (MemorySegment) OPENDIR.invokeExact(arena.allocateFrom(dirName));
            if (stream.equals(MemorySegment.NULL)) {
                return null; // NIO says why (not a directory, no permission, gone)
            }
            try {
                return entries(stream, new Statx.Buffers(arena));
            } finally {
                int ignored = (int) CLOSEDIR.invokeExact(stream);
            }
        } catch (Error e) {
            throw e;
        } catch (Throwable t) {
            return null;
        }
    }

    private static List<DirectoryListing.Item> entries(MemorySegment stream, Statx.Buffers buffers) throws Throwable {
        int fd = (int) DIRFD.invokeExact(stream);
        List<DirectoryListing.Item> items = new ArrayList<>();
        for (MemorySegment entry = (MemorySegment) READDIR.invokeExact(stream); !entry.equals(MemorySegment.NULL);
                entry = (MemorySegment) READDIR.invokeExact(stream)) {
            MemorySegment name = entry.reinterpret(NAME_OFFSET + NAME_MAX).asSlice(NAME_OFFSET);
            String text = name.getString(0);
            if (text.equals(".") || text.equals("..")) {
                continue;
            }
            if (text.indexOf('\uFFFD') >= 0) {
                return null; // not valid UTF-8: only NIO has the original bytes
            }
            Statx.Result stat = Statx.at(fd, name, buffers);
            if (stat == null) {
                return null;
            }
            if (stat != Statx.Result.MISSING) { // removed since readdir saw it: as NIO, which would not list it
                items.add(new DirectoryListing.Item(text, stat.stat()));
            }
        }
        return items;
    }
}
