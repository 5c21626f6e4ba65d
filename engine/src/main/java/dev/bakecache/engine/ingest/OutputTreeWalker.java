package dev.bakecache.engine.ingest;

import dev.bakecache.engine.manifest.InvalidManifestException;
import dev.bakecache.engine.manifest.OutputSymlink;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scans an output directory without following symlinks. Regular files, directories and
 * symlinks are what a build produces and what a manifest can describe; anything else (FIFOs,
 * sockets, devices) is refused with the path, as is a symlink pointing outside the tree, so a
 * restore can never be made to reach outside its target.
 */
public final class OutputTreeWalker {

    private OutputTreeWalker() {
    }

    public static OutputTree walk(Path root) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(base)) {
            throw new NoSuchFileException(root.toString(), null, "output directory does not exist or is not a directory");
        }
        List<OutputTree.Entry> files = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        List<OutputSymlink> symlinks = new ArrayList<>();
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(base)) {
                    directories.add(relative(base, dir));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String path = relative(base, file);
                if (attrs.isRegularFile()) {
                    files.add(new OutputTree.Entry(path, file, FileStamp.of(file)));
                } else if (attrs.isSymbolicLink()) {
                    String target = Files.readSymbolicLink(file).toString();
                    try {
                        symlinks.add(new OutputSymlink(path, target));
                    } catch (InvalidManifestException e) {
                        throw new IngestException(base + ": " + e.getMessage());
                    }
                } else {
                    throw new IngestException(file + ": is not a regular file, directory or symlink"
                            + " (a FIFO, socket or device); such outputs cannot be cached");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(Comparator.comparing(OutputTree.Entry::path));
        directories.sort(Comparator.naturalOrder());
        return new OutputTree(base, List.copyOf(files), List.copyOf(directories), List.copyOf(symlinks));
    }

    private static String relative(Path base, Path path) {
        return base.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }
}
