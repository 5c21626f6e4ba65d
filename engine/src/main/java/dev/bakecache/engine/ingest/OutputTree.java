package dev.bakecache.engine.ingest;

import dev.bakecache.engine.manifest.OutputSymlink;

import java.nio.file.Path;
import java.util.List;

/** A scanned output directory: its regular files with their stat data, directories and symlinks. */
public record OutputTree(Path root, List<Entry> files, List<String> directories, List<OutputSymlink> symlinks) {

    /** One regular file: its path relative to the root ('/'-separated) and its stat data. */
    public record Entry(String path, Path file, FileStamp stamp) {
        public long size() {
            return stamp.size();
        }
    }

    public long totalBytes() {
        return files.stream().mapToLong(Entry::size).sum();
    }
}
