package dev.bakecache.engine.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one directory, each with what {@code lstat} says of it. On Linux the directory
 * is read with {@code readdir} and each entry stat'ed relative to it ({@link Readdir}), which
 * builds no path per entry; an incremental ingest is mostly this scan. Elsewhere, and whenever
 * the native read cannot answer, NIO does (and throws the usual exceptions).
 */
public final class DirectoryListing {

    /** One entry: its name in the directory and its lstat. */
    public record Item(String name, Lstat stat) {
    }

    private DirectoryListing() {
    }

    /** The entries in no particular order; one removed while it is read may be missing. */
    public static List<Item> read(Path dir) throws IOException {
        List<Item> items = Readdir.read(dir);
        return items != null ? items : viaNio(dir);
    }

    /** The same answer through NIO alone (and for the tests that compare the two). */
    static List<Item> viaNio(Path dir) throws IOException {
        List<Item> items = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Lstat stat = Lstat.viaNio(entry);
                if (stat != null) {
                    items.add(new Item(entry.getFileName().toString(), stat));
                }
            }
        }
        return items;
    }
}
