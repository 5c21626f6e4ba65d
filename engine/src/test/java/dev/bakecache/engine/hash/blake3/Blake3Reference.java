package dev.bakecache.engine.hash.blake3;

import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;

/** What tests hold our BLAKE3 against: BouncyCastle's, and command-line tools when they are installed. */
public final class Blake3Reference {

    private Blake3Reference() {
    }

    /** BouncyCastle's BLAKE3-256 of {@code input}, in hex. */
    public static String bouncyCastle(byte[] input) {
        return bouncyCastle(input, null);
    }

    /** The same, keyed when {@code key} is not null. */
    public static String bouncyCastle(byte[] input, byte[] key) {
        Blake3Digest digest = new Blake3Digest(256);
        if (key != null) {
            digest.init(Blake3Parameters.key(key));
        }
        digest.update(input, 0, input.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    /** Whether {@code command} (say b3sum) is an executable on the PATH. */
    public static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }
}
