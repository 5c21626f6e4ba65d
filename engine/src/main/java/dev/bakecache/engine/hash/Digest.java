package dev.bakecache.engine.hash;

/**
 * What a blob is known by: its content hash (64 lower-case hex characters) and its length in
 * bytes. The size travels with the hash, as in Bazel's remote API, so a reader can check a
 * download's length and plan space before it has the bytes.
 */
public record Digest(String hash, long size) implements Comparable<Digest> {

    private static final int HEX_LENGTH = HashAlgorithm.DIGEST_BYTES * 2;

    public Digest {
        String problem = hashProblem(hash);
        if (problem != null) {
            throw new InvalidDigestException(problem);
        }
        if (size < 0) {
            throw new InvalidDigestException("digest size must not be negative, got " + size);
        }
    }

    /** Parses the {@code hash/size} form that {@link #toString()} writes. */
    public static Digest parse(String text) {
        if (text == null) {
            throw new InvalidDigestException("digest is missing");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new InvalidDigestException("digest '" + text + "' must look like <hash>/<size>");
        }
        long size;
        try {
            size = Long.parseLong(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new InvalidDigestException("digest '" + text + "' has a size that is not a whole number");
        }
        return new Digest(text.substring(0, slash), size);
    }

    /** The two leading hex characters, used as the directory shard in every tier's layout. */
    public String shardPrefix() {
        return hash.substring(0, 2);
    }

    @Override
    public int compareTo(Digest other) {
        int byHash = hash.compareTo(other.hash);
        return byHash != 0 ? byHash : Long.compare(size, other.size);
    }

    @Override
    public String toString() {
        return hash + "/" + size;
    }

    /** Null when {@code hash} is well-formed, otherwise a sentence saying what is wrong with it. */
    public static String hashProblem(String hash) {
        if (hash == null || hash.isEmpty()) {
            return "digest hash is missing";
        }
        if (hash.length() != HEX_LENGTH) {
            return "digest hash '" + abbreviate(hash) + "' has " + hash.length()
                    + " characters, expected " + HEX_LENGTH + " hex characters";
        }
        for (int i = 0; i < hash.length(); i++) {
            char c = hash.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return "digest hash '" + abbreviate(hash) + "' has '" + c + "' at position " + i
                        + ", expected lower-case hex (0-9, a-f)";
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
