package dev.bakecache.engine.hash;

import dev.bakecache.engine.hash.blake3.Blake3;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The content hashes a cache can be keyed by. BLAKE3 is the default (see docs/adr/0001); SHA-256
 * is there for compatibility with Bazel-style remote caches. Both give 32-byte digests, so a
 * {@link Digest}'s hex form is always 64 characters.
 */
public enum HashAlgorithm {
    BLAKE3("blake3"),
    SHA256("sha256");

    /** Every supported algorithm produces a 256-bit digest. */
    public static final int DIGEST_BYTES = 32;

    private final String id;

    HashAlgorithm(String id) {
        this.id = id;
    }

    /** The lower-case name used in config files and as the blob directory name. */
    public String id() {
        return id;
    }

    public Hasher newHasher() {
        return switch (this) {
            case BLAKE3 -> Blake3Choice.VECTORIZED ? new VectorBlake3Hasher() : new Blake3Hasher();
            case SHA256 -> new Sha256Hasher();
        };
    }

    public Digest digest(byte[] data) {
        return digest(data, 0, data.length);
    }

    public Digest digest(byte[] data, int offset, int length) {
        Hasher hasher = newHasher();
        hasher.update(data, offset, length);
        return hasher.finish();
    }

    public Digest digest(InputStream in) throws IOException {
        Hasher hasher = newHasher();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            hasher.update(buffer, 0, n);
        }
        return hasher.finish();
    }

    public Digest digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    /**
     * Our BLAKE3 needs the Vector API to beat BouncyCastle's; without it (a JVM started without
     * {@code --add-modules jdk.incubator.vector}) BouncyCastle's is used and that is said once.
     */
    private static final class Blake3Choice {
        static final boolean VECTORIZED = Blake3.vectorApiPresent();

        static {
            if (!VECTORIZED) {
                System.getLogger(HashAlgorithm.class.getName()).log(Level.INFO,
                        "BLAKE3: module jdk.incubator.vector is not loaded, hashing with BouncyCastle (about 10x slower);"
                                + " start the JVM with --add-modules jdk.incubator.vector");
            }
        }
    }

    /** Parses a config value such as {@code blake3} or {@code SHA256}; the error lists the choices. */
    public static HashAlgorithm fromId(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace("-", "");
        for (HashAlgorithm algorithm : values()) {
            if (algorithm.id.equals(wanted)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown hash algorithm '" + value + "', expected one of "
                + Arrays.stream(values()).map(HashAlgorithm::id).collect(Collectors.joining(", ")));
    }
}
