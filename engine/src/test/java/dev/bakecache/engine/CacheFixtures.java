package dev.bakecache.engine;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.index.IndexEntry;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.BlobKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Small caches for the tests of jobs that work on a whole tier (verify, stats, clean, evict, gc), and
 * helpers to check and age them.
 */
public final class CacheFixtures {

    public static final Map<String, String> ENV = Map.of("BAKE_CACHE_SECRET", "fixture-secret-0123456789abcdef");

    private CacheFixtures() {
    }

    /** A cache at {@code root} that chunks files from 256 KiB, so a test needs no large files. */
    public static CacheConfig config(Path root) {
        return ConfigLoader.parse("""
                cache:
                  cas:
                    chunking:
                      threshold: 256KB
                      minChunk: 16KB
                      avgChunk: 64KB
                      maxChunk: 128KB
                """, "fixture.yaml").withLocalPath(root);
    }

    /**
     * Outputs with every kind of stored blob: text above the compression threshold ({@code src/*.txt}), random
     * bytes stored raw ({@code data.bin}), a copy of a text file (deduplicated), and a random file
     * large enough to be chunked ({@code big.bin}).
     */
    public static Path outputs(Path root) throws IOException {
        Random random = new Random(11);
        Files.createDirectories(root.resolve("src"));
        for (int i = 0; i < 8; i++) {
            Files.writeString(root.resolve("src/f" + i + ".txt"), ("line " + i + " of some text\n").repeat(1000 + i));
        }
        Files.copy(root.resolve("src/f0.txt"), root.resolve("copy-of-f0.txt"));
        byte[] data = new byte[20_000];
        random.nextBytes(data);
        Files.write(root.resolve("data.bin"), data);
        byte[] big = new byte[600_000];
        random.nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        return root;
    }

    /**
     * A tree of {@code n}-specific random files (incompressible, so stored size = size) and files
     * every tree shares; with {@code chunked} one file is large enough to be chunked.
     */
    public static Path tree(Path dir, int n, boolean chunked) throws IOException {
        Random random = new Random(1000 + n);
        Files.createDirectories(dir.resolve("own"));
        Files.createDirectories(dir.resolve("shared"));
        for (int i = 0; i < 3; i++) {
            Files.write(dir.resolve("own/f" + i + ".bin"), bytes(random, 8_000 + 1_000 * i));
        }
        Random same = new Random(7);
        Files.write(dir.resolve("shared/common.bin"), bytes(same, 5_000));
        Files.writeString(dir.resolve("shared/tree-" + (n % 2) + ".txt"), "half the trees share this " + (n % 2));
        if (chunked) {
            Files.write(dir.resolve("own/large.bin"), bytes(random, 600_000));
        }
        return dir;
    }

    /** One file of {@code size} random bytes seeded by {@code seed}. */
    public static Path single(Path dir, long seed, int size) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("data.bin"), bytes(new Random(seed), size));
        return dir;
    }

    private static byte[] bytes(Random random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    public static void ingest(LocalCache cache, String key, Path dir) throws IOException {
        cache.ingester().ingest(key, dir, ProgressListener.NONE);
    }

    /** Restores {@code key} into a fresh directory and tells whether it equals {@code source}. */
    public static boolean restoresIdentically(LocalCache cache, String key, Path source, Path scratch) throws IOException {
        ActionResult manifest = cache.actions().get(key).orElseThrow();
        Path target = Files.createTempDirectory(scratch, key + "-");
        cache.restorer().restore(manifest, target, ProgressListener.NONE);
        return describeTree(target).equals(describeTree(source));
    }

    /** Every remaining manifest's blobs and chunks are stored: the invariant eviction and gc keep. */
    public static List<String> manifestsNamingMissingBlobs(LocalCache cache) {
        List<String> broken = new ArrayList<>();
        try (Stream<String> keys = cache.actions().keys()) {
            for (String key : keys.toList()) {
                cache.actions().get(key).ifPresent(m -> {
                    boolean blobs = m.referencedBlobs().stream().allMatch(cache.blobs()::contains);
                    boolean chunks = m.referencedChunks().stream().allMatch(cache.chunks()::contains);
                    if (!blobs || !chunks) {
                        broken.add(key);
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return broken;
    }

    /**
     * Makes every blob and chunk look last used and written at {@code when} (index entry and file
     * mtime), as if the cache had been idle since; {@code only} limits it to some hashes, empty = all.
     */
    public static void age(LocalCache cache, Instant when, List<String> only) throws IOException {
        List<IndexEntry> entries = new ArrayList<>();
        cache.index().forEach(entries::add);
        List<IndexEntry> aged = new ArrayList<>();
        for (IndexEntry e : entries) {
            boolean chosen = only.isEmpty() || only.contains(e.hash());
            aged.add(chosen ? new IndexEntry(e.kind(), e.hash(), e.size(), e.storedSize(), e.compression(), when, when,
                    e.accessCount()) : e);
            if (chosen) {
                Path file = (e.kind() == BlobKind.CHUNK ? cache.chunks() : cache.blobs()).files().pathOf(e.digest());
                Files.setLastModifiedTime(file, FileTime.from(when));
            }
        }
        cache.index().replaceAll(aged.iterator());
    }

    /** Path → content hash and exec bit (" x" or " -"), "-> target" for links, "dir" for directories. */
    public static Map<String, String> describeTree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = root.relativize(p).toString();
                if (rel.isEmpty()) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    tree.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    tree.put(rel, "dir");
                } else {
                    tree.put(rel, HashAlgorithm.SHA256.digest(p).hash() + (Files.isExecutable(p) ? " x" : " -"));
                }
            }
        }
        return tree;
    }
}
