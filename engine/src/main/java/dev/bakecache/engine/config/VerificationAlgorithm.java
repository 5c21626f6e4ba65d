package dev.bakecache.engine.config;

/** How manifests are signed and checked ({@code cache.verification.algorithm}). */
public enum VerificationAlgorithm {
    /** HMAC-SHA256 over the manifest's canonical form, keyed by the secret in {@code secretEnv}. */
    HMAC_SHA256("hmacSha256", "HmacSHA256");

    private final String id;
    private final String jcaName;

    VerificationAlgorithm(String id, String jcaName) {
        this.id = id;
        this.jcaName = jcaName;
    }

    public String id() {
        return id;
    }

    /** The name to pass to {@code javax.crypto.Mac.getInstance}. */
    public String jcaName() {
        return jcaName;
    }

    /** Accepts {@code hmacSha256}, {@code hmac-sha256}, {@code HMAC_SHA256}. */
    public static VerificationAlgorithm fromId(String value) {
        return Ids.lookup(values(), VerificationAlgorithm::id, value, "verification algorithm");
    }
}
