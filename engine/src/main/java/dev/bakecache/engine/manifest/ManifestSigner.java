package dev.bakecache.engine.manifest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;

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

    /**
     * A name for this secret that gives nothing of it away (an HMAC of a fixed text): equal names,
     * equal secrets, so a manifest can be known to need signing anew once the secret changed.
     */
    public String keyId() {
        return HexFormat.of().formatHex(mac("bake-cache manifest key id".getBytes(StandardCharsets.UTF_8)), 0, 8);
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

    /**
     * Parses the stored manifest of {@code actionKey} and, with a signer, checks its signature:
     * what every reader of manifests does, whatever tier the bytes came from.
     *
     * <p>A manifest this engine wrote is its canonical form with the signature appended
     * ({@link ManifestJson#toBytes}), so the signature is first checked over the file's own
     * bytes, which spares serialising the parsed manifest again (about a third of reading a large
     * one). Bytes with a valid signature are bytes a holder of the secret wrote, so what they
     * parse to is what was signed. A file formatted any other way is checked over its canonical
     * form, as {@link #verify} does.
     *
     * @param signer null when verification is disabled
     * @throws InvalidManifestException when the bytes are malformed, unsafe, unsigned, tampered with or of another key
     */
    public static ActionResult read(ManifestSigner signer, String actionKey, byte[] stored, String source) {
        byte[] json = ManifestJson.fileForm(stored, source);
        ActionResult manifest = ManifestJson.requireKey(actionKey, ManifestJson.parseFileForm(json, source), source);
        if (signer == null) {
            return manifest;
        }
        int canonical = ManifestJson.canonicalPrefixLength(json, manifest.signature());
        if (canonical > 0 && signer.signedAs(manifest.signature(), mac -> {
            mac.update(json, 0, canonical);
            mac.update((byte) '}');
        })) {
            return manifest;
        }
        return signer.verify(manifest);
    }

    private boolean signedAs(String signature, Consumer<Mac> content) {
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            return false; // verify names the problem
        }
        Mac mac = newMac();
        content.accept(mac);
        return MessageDigest.isEqual(claimed, mac.doFinal());
    }

    private byte[] mac(byte[] data) {
        return newMac().doFinal(data);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK ships " + HMAC, e);
        }
    }
}
