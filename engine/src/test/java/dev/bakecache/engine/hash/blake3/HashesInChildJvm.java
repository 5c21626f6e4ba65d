package dev.bakecache.engine.hash.blake3;

import dev.bakecache.engine.hash.HashAlgorithm;

/**
 * Run in a child JVM by {@link VectorWidthsTest}, where the JVM flags differ from the test's:
 * prints whether the Vector API is present, then the engine's BLAKE3 of the official test
 * input at each length given.
 */
public final class HashesInChildJvm {

    private HashesInChildJvm() {
    }

    public static void main(String[] lengths) {
        System.out.println("vector-api " + Blake3.vectorApiPresent());
        for (String length : lengths) {
            byte[] input = VectorWidthsTest.officialInput(Integer.parseInt(length));
            // Two hashers each: the fallback must be logged once per JVM, not once per hasher.
            HashAlgorithm.BLAKE3.digest(input);
            System.out.println("hash " + length + " " + HashAlgorithm.BLAKE3.digest(input).hash());
        }
    }
}
