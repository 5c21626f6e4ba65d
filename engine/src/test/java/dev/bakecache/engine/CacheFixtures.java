package dev.bakecache.engine;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Small caches for the tests of jobs that work on a whole tier (verify, stats, clean). */
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
}
