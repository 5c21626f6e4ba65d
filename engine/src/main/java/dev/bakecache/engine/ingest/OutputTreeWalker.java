package dev.bakecache.engine.ingest;

import dev.bakecache.engine.files.DirectoryListing;
import dev.bakecache.engine.manifest.InvalidManifestException;
import dev.bakecache.engine.manifest.OutputSymlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scans an output directory without following symlinks, with one {@code lstat} per entry (the
 * {@link FileStamp} tells the type too; see {@link DirectoryListing}): on an incremental ingest
 * this scan is most of the work.
 * Regular files, directories and symlinks are what a build produces and what a manifest can
 * describe; anything else (FIFOs, sockets, devices) is refused with its path, as is a symlink
 * pointing outside the tree, so a restore can never be made to reach outside its target.
 */
public final class OutputTreeWalker {

    private final Path base;
    private final List<OutputTree.Entry> files = new ArrayList<>();
    private final List<String> directories = new ArrayList<>();
    private final List<OutputSymlink> symlinks = new ArrayList<>();

    private OutputTreeWalker(Path base) {
        this.base = base;
    }

    public static OutputTree walk(Path root) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(base)) {
            throw new NoSuchFileException(root.toString(), null, "output directory does not exist or is not a directory");
        }
        OutputTreeWalker walker = new OutputTreeWalker(base);
        walker.scan(base, "");
        walker.files.sort(Comparator.comparing(OutputTree.Entry::path));
        walker.directories.sort(Comparator.naturalOrder());
        return new OutputTree(base, List.copyOf(walker.files), List.copyOf(walker.directories),
                List.copyOf(walker.symlinks));
    }

    private void scan(Path dir, String prefix) throws IOException {
        for (DirectoryListing.Item item : DirectoryListing.read(dir)) {
            String path = prefix + item.name();
            Path entry = dir.resolve(item.name());
            FileStamp stamp = FileStamp.of(item.stat());
            if (stamp.isRegularFile()) {
                files.add(new OutputTree.Entry(path, entry, stamp));
            } else if (stamp.isDirectory()) {
                directories.add(path);
                scan(entry, path + "/");
            } else if (stamp.isSymbolicLink()) {
                addSymlink(path, Files.readSymbolicLink(entry).toString());
            } else {
                throw new IngestException(entry + ": is not a regular file, directory or symlink"
                        + " (a FIFO, socket or device); such outputs cannot be cached");
            }
        }
    }

    private void addSymlink(String path, String target) {
        try {
            symlinks.add(new OutputSymlink(path, target));
        } catch (InvalidManifestException e) {
            throw new IngestException(base + ": " + e.getMessage());
        }
    }
}
