package dev.bakecache.engine.bench;

/** A scale small enough for unit tests, with the large file still above the chunking threshold. */
final class TinyScale {

    static final BenchScale TINY = new BenchScale("tiny", 30, 1024, 2, 64 * 1024, 1, 256 * 1024,
            12L * 1024 * 1024, 40, 3, 1024 * 1024, 1, 0, 0);

    private TinyScale() {
    }
}
