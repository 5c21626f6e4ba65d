package dev.bakecache.engine.manifest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * Signs manifests with HMAC-SHA256 and checks their signatures in constant time. The secret
 * comes from an environment variable (named in config, BAKE_CACHE_SECRET by default); there is
 * deliberately no default secret, since a public default would let anyone forge manifests that
 * point restores at content of their choosing.
 */
public final class ManifestSigner {

    private static final String HMAC = "HmacSHA256";
    static final int MIN_SECRET_BYTES = 16;

    private final SecretKeySpec key;

    public ManifestSigner(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the manifest signing secret is " + secret.length
                    + " bytes; use at least " + MIN_SECRET_BYTES + " (e.g. openssl rand -hex 32)");
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
    }

    /**
     * @throws MissingSecretException when the variable is unset or empty
     */
    public static ManifestSigner fromEnvironment(String variable, Map<String, String> environment) {
        String secret = environment.get(variable);
        if (secret == null || secret.isEmpty()) {
            throw new MissingSecretException(variable);
        }
        return new ManifestSigner(secret.getBytes(StandardCharsets.UTF_8));
    }

    public ActionResult sign(ActionResult manifest) {
        return manifest.withSignature(signatureOf(ManifestJson.canonicalBytes(manifest)));
    }

    /** The signature of the manifest whose canonical bytes are given. */
    String signatureOf(byte[] canonical) {
        return HexFormat.of().formatHex(mac(canonical));
    }

    /**
     * @throws InvalidManifestException when the manifest is unsigned or its signature does not match
     */
    public ActionResult verify(ActionResult manifest) {
        String signature = manifest.signature();
        if (signature == null || signature.isEmpty()) {
            throw new InvalidManifestException("manifest '" + manifest.actionKey() + "' is not signed");
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            throw new InvalidManifestException("manifest '" + manifest.actionKey() + "' has a malformed signature");
        }
        if (!MessageDigest.isEqual(claimed, mac(ManifestJson.canonicalBytes(manifest)))) {
            throw new InvalidManifestException("manifest '" + manifest.actionKey()
                    + "' has a wrong signature: it was altered, or signed with another secret");
        }
        return manifest;
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK ships " + HMAC, e);
        }
    }
}
