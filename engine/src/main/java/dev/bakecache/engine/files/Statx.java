package dev.bakecache.engine.files;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS)} from glibc (2.28 and
 * later). {@code struct statx} has the same layout on every Linux architecture, unlike
 * {@code struct stat}, which is why this and not {@code lstat} is called.
 */
final class Statx {

    /** An answer: the stat, or {@link #MISSING}. */
    record Result(Lstat stat) {
        static final Result MISSING = new Result(null);
    }

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;
    private static final long STRUCT_BYTES = 256;

    private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE =
            ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle STATX = find();

    private Statx() {
    }

    private static MethodHandle find() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> symbol = linker.defaultLookup().find("statx");
            return symbol.map(address -> linker.downcallHandle(address,
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS),
                    Linker.Option.captureCallState("errno"))).orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null; // no native access granted, or no such function: NIO answers
        }
    }

    /** Whether the native call is in use (Linux with glibc 2.28+, native access granted). */
    static boolean available() {
        return STATX != null;
    }

    /** The stat, {@link Result#MISSING}, or null when NIO must answer (no statx, another error, a name NIO cannot pass on). */
    static Result lstat(Path path) {
        if (STATX == null) {
            return null;
        }
        String name = path.toString();
        if (name.indexOf('\uFFFD') >= 0 || name.indexOf('\0') >= 0) {
            return null; // not valid UTF-8 on disk: only NIO has the original bytes
        }
        try (Arena arena = Arena.ofConfined()) {
            return at(AT_FDCWD, arena.allocateFrom(name), new Buffers(arena));
        }
    }

    /** Memory one thread reuses across calls. */
    record Buffers(MemorySegment errno, MemorySegment stat) {
        Buffers(Arena arena) {
            this(arena.allocate(ERRNO), arena.allocate(STRUCT_BYTES, 8));
        }
    }

    /** {@code statx} of {@code name} (a C string) relative to the directory open as {@code dirfd}; as {@link #lstat}. */
    static Result at(int dirfd, MemorySegment name, Buffers buffers) {
        try {
            int rc = (int) STATX.invokeExact(buffers.errno(), dirfd, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
                    buffers.stat());
            if (rc != 0) {
                int error = (int) ERRNO_VALUE.get(buffers.errno(), 0L);
                return error == ENOENT || error == ENOTDIR ? Result.MISSING : null;
            }
            return new Result(decode(buffers.stat()));
        } catch (Error e) {
            throw e;
        } catch (Throwable t) {
            return null;
        }
    }

    // struct statx: stx_nlink u32 @16, stx_mode u16 @28, stx_ino u64 @32, stx_size u64 @40,
    // stx_ctime @96 and stx_mtime @112 as {i64 tv_sec, u32 tv_nsec}, stx_dev_major/minor u32 @136/@140
    private static Lstat decode(MemorySegment s) {
        int mode = Short.toUnsignedInt(s.get(JAVA_SHORT, 28));
        long major = Integer.toUnsignedLong(s.get(JAVA_INT, 136));
        long minor = Integer.toUnsignedLong(s.get(JAVA_INT, 140));
        return new Lstat(mode, s.get(JAVA_LONG, 40), nanos(s, 112), nanos(s, 96), makedev(major, minor),
                s.get(JAVA_LONG, 32), s.get(JAVA_INT, 16));
    }

    private static long nanos(MemorySegment s, long offset) {
        return s.get(JAVA_LONG, offset) * 1_000_000_000L + Integer.toUnsignedLong(s.get(JAVA_INT, offset + 8));
    }

    /** glibc's {@code makedev}: the {@code st_dev} that {@code stat} (and so NIO) reports. */
    private static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
