package dev.bakecache.engine.migrate;

import dev.bakecache.engine.manifest.OutputDirectory;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.manifest.OutputPaths;
import dev.bakecache.engine.manifest.OutputSymlink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs read from one legacy archive so far, and the rules that keep them a tree a restore
 * can write safely: every path relative and free of {@code ..}, each path once, nothing below a
 * file or symlink of the same archive (an extractor would write through the symlink), symlinks
 * and hard links pointing inside the tree. A broken rule is a {@link RejectedArchiveException}
 * naming the entry. Entries are checked before their content is stored.
 */
final class ArchiveTree {

    private enum Kind {
        FILE("a file"), SYMLINK("a symlink"), DIRECTORY("a directory"), PARENT("a directory");

        private final String noun;

        Kind(String noun) {
            this.noun = noun;
        }
    }

    /** Every path seen; PARENT marks a directory implied by entries below it but not (yet) listed. */
    private final Map<String, Kind> kinds = new HashMap<>();
    private final Map<String, OutputFile> files = new HashMap<>();
    private final List<OutputSymlink> symlinks = new ArrayList<>();

    /**
     * The output path an entry name stands for, without {@code ./} prefixes and a directory's
     * trailing {@code /}; null for the root itself ({@code ./}), which tar archives often list.
     */
    static String pathOf(String entryName, boolean directory) throws RejectedArchiveException {
        String path = stripped(entryName, directory);
        String problem = path == null ? null : OutputPaths.problem(path);
        if (problem != null) {
            throw new RejectedArchiveException("entry '" + entryName + "': " + problem);
        }
        return path;
    }

    private static String stripped(String name, boolean directory) {
        String path = name;
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        if (directory && path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.isEmpty() || path.equals(".") ? null : path;
    }

    void addDirectory(String path) throws RejectedArchiveException {
        claim(path, Kind.DIRECTORY);
    }

    /** Claims {@code path} for a regular file; its content is stored next, then {@link #putFile}. */
    void claimFile(String path) throws RejectedArchiveException {
        claim(path, Kind.FILE);
    }

    void putFile(OutputFile file) {
        files.put(file.path(), file);
    }

    void addSymlink(String path, String target) throws RejectedArchiveException {
        String problem = OutputPaths.symlinkProblem(path, target);
        if (problem != null) {
            throw new RejectedArchiveException(problem);
        }
        claim(path, Kind.SYMLINK);
        symlinks.add(new OutputSymlink(path, target));
    }

    /**
     * A hard link becomes a second file with its target's content; tar only links to a file
     * that came earlier in the archive.
     */
    void addHardLink(String path, String targetName) throws RejectedArchiveException {
        String target = stripped(targetName, false);
        String problem = target == null ? null : OutputPaths.problem(target);
        if (problem != null) {
            throw new RejectedArchiveException("hard link '" + path + "' points outside the tree: " + problem);
        }
        OutputFile linked = target == null ? null : files.get(target);
        if (linked == null) {
            throw new RejectedArchiveException("hard link '" + path + "' points to '" + targetName
                    + "', which is not a regular file earlier in the archive");
        }
        claimFile(path);
        putFile(new OutputFile(path, linked.digest(), linked.executable(), linked.chunks()));
    }

    List<OutputFile> files() {
        return List.copyOf(files.values());
    }

    /** Listed directories and those implied by the paths below them, so empty ones come back too. */
    List<OutputDirectory> directories() {
        return kinds.entrySet().stream()
                .filter(e -> e.getValue() == Kind.DIRECTORY || e.getValue() == Kind.PARENT)
                .map(e -> new OutputDirectory(e.getKey())).toList();
    }

    List<OutputSymlink> symlinks() {
        return List.copyOf(symlinks);
    }

    private void claim(String path, Kind kind) throws RejectedArchiveException {
        int slash = -1;
        while ((slash = path.indexOf('/', slash + 1)) >= 0) {
            String parent = path.substring(0, slash);
            Kind above = kinds.putIfAbsent(parent, Kind.PARENT);
            if (above == Kind.FILE || above == Kind.SYMLINK) {
                throw new RejectedArchiveException("entry '" + path + "' lies below '" + parent + "', " + above.noun
                        + " in the same archive");
            }
        }
        Kind before = kinds.putIfAbsent(path, kind);
        if (before == Kind.PARENT && kind == Kind.DIRECTORY) {
            kinds.put(path, kind);
        } else if (before == Kind.PARENT) {
            throw new RejectedArchiveException("entry '" + path + "' is " + kind.noun
                    + " but earlier entries lie below it");
        } else if (before != null) {
            throw new RejectedArchiveException("duplicate entry '" + path + "': the archive lists it more than once");
        }
    }
}
