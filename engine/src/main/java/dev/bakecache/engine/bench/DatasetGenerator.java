package dev.bakecache.engine.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the benchmark's trees from a seed, so every run (and the tar.zst baseline within a run)
 * works on the same bytes: many small compressible text files, some semi-compressible binaries
 * (random blocks repeated, as object files and jars are), and a few incompressible files (as
 * images and archives are).
 */
public final class DatasetGenerator {

    /** The seed every tree derives from; changing it changes every published number. */
    public static final long SEED = 0x6261_6b65L;

    private static final String[] WORDS = ("const let function return import export default from require module"
            + " exports value index length push map filter reduce object string number undefined null true false"
            + " this new class extends super async await promise then catch error throw if else for while switch"
            + " case break continue options config target source build cache hash digest chunk manifest").split(" ");
    private static final int BLOCK = 4096;

    private DatasetGenerator() {
    }

    /** A recipe's output tree under {@code dir}: text files, binaries and incompressible files per {@code scale}. */
    public static List<Path> writeTree(Path dir, BenchScale scale, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < scale.textFiles(); i++) {
            Path file = dir.resolve("src").resolve("module-" + (i % 40)).resolve("file-" + i + ".js");
            int size = scale.textFileBytes() / 2 + random.nextInt(scale.textFileBytes());
            written.add(write(file, text(random, size)));
        }
        written.addAll(writeLargeFiles(dir, scale, random.nextLong()));
        return written;
    }

    /** The tree's binaries and incompressible files alone: where the bytes are, for throughput. */
    public static List<Path> writeLargeFiles(Path dir, BenchScale scale, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < scale.binaries(); i++) {
            written.add(write(dir.resolve("lib").resolve("part-" + i + ".o"), semiCompressible(random, scale.binaryBytes())));
        }
        for (int i = 0; i < scale.blobs(); i++) {
            written.add(writeRandom(dir.resolve("assets").resolve("asset-" + i + ".bin"), scale.blobBytes(), random.nextLong()));
        }
        return written;
    }

    /**
     * A node_modules-like tree: packages with a manifest, an identical licence (as real ones
     * mostly are), and JavaScript of varied size.
     */
    public static void writeSharedModules(Path dir, int files, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] license = text(new SplittableRandom(seed ^ 1), 1100);
        int perPackage = 8;
        for (int i = 0; i < files; i++) {
            Path pkg = dir.resolve("node_modules").resolve("pkg-" + (i / perPackage));
            switch (i % perPackage) {
                case 0 -> write(pkg.resolve("LICENSE"), license);
                case 1 -> write(pkg.resolve("package.json"), text(random, 300 + random.nextInt(900)));
                default -> write(pkg.resolve("lib").resolve("m" + i + ".js"), text(random, 500 + random.nextInt(30_000)));
            }
        }
    }

    /** A recipe's own files next to the shared tree: sources and a bundle no other recipe has. */
    public static void writeOwnFiles(Path dir, int recipe, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed + recipe * 7919L);
        for (int i = 0; i < 20; i++) {
            write(dir.resolve("src").resolve("app-" + recipe + "-" + i + ".js"), text(random, 500 + random.nextInt(4000)));
        }
        write(dir.resolve("dist").resolve("bundle-" + recipe + ".js"), text(random, 64 * 1024));
    }

    /** {@code size} incompressible bytes, written block by block so large files need no large buffer. */
    public static Path writeRandom(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        Files.createDirectories(file.getParent());
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    /** A buffer with the tree's mix: a third text, a third semi-compressible, a third random. */
    public static byte[] mixedBuffer(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[size];
        int third = size / 3;
        System.arraycopy(text(random, third), 0, buffer, 0, third);
        System.arraycopy(semiCompressible(random, third), 0, buffer, third, third);
        byte[] rest = new byte[size - 2 * third];
        random.nextBytes(rest);
        System.arraycopy(rest, 0, buffer, 2 * third, rest.length);
        return buffer;
    }

    /** Rewrites {@code file} with new text of about the same size: the "one file changed" of an incremental build. */
    public static void rewriteText(Path file, long seed) throws IOException {
        int size = (int) Files.size(file);
        Files.write(file, text(new SplittableRandom(seed), Math.max(size, 1)));
    }

    static byte[] text(SplittableRandom random, int size) {
        StringBuilder text = new StringBuilder(size + 16);
        while (text.length() < size) {
            text.append(WORDS[random.nextInt(WORDS.length)]);
            int r = random.nextInt(12);
            text.append(r == 0 ? ";\n" : r == 1 ? "(" + random.nextInt(1000) + ") " : " ");
        }
        text.setLength(size);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Random 4 KiB blocks, each used about three times: zstd saves roughly half. */
    static byte[] semiCompressible(SplittableRandom random, int size) {
        byte[] data = new byte[size];
        List<byte[]> palette = new ArrayList<>();
        for (int offset = 0; offset < size; offset += BLOCK) {
            byte[] block;
            if (palette.isEmpty() || random.nextInt(3) == 0) {
                block = new byte[BLOCK];
                random.nextBytes(block);
                palette.add(block);
            } else {
                block = palette.get(random.nextInt(palette.size()));
            }
            System.arraycopy(block, 0, data, offset, Math.min(BLOCK, size - offset));
        }
        return data;
    }

    private static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return file;
    }
}
