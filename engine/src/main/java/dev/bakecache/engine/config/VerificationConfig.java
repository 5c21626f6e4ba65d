package dev.bakecache.engine.config;

import java.util.regex.Pattern;

/**
 * Signing and checking of manifests ({@code cache.verification}). The secret itself never appears
 * in config: only the name of the environment variable holding it. There is no default secret.
 *
 * @param enabled when true, manifests are signed on write and unsigned or wrongly signed ones are
 *     rejected on read
 * @param algorithm the signature algorithm
 * @param secretEnv the environment variable holding the key
 */
public record VerificationConfig(boolean enabled, VerificationAlgorithm algorithm, String secretEnv) {

    public static final String DEFAULT_SECRET_ENV = "BAKE_CACHE_SECRET";

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public VerificationConfig {
        Checks checks = new Checks();
        checks.require(algorithm != null, "algorithm", "is required (hmacSha256)");
        if (checks.require(secretEnv != null && !secretEnv.isBlank(), "secretEnv", "is required")) {
            checks.require(ENV_NAME.matcher(secretEnv).matches(), "secretEnv",
                    "'" + secretEnv + "' is not an environment variable name (letters, digits and _)");
        }
        checks.throwIfAny();
    }

    /** Enabled, HMAC-SHA256, secret in {@code BAKE_CACHE_SECRET}. */
    public static VerificationConfig defaults() {
        return new VerificationConfig(true, VerificationAlgorithm.HMAC_SHA256, DEFAULT_SECRET_ENV);
    }
}
