package dev.bakecache.engine.manifest;

/** Manifest verification is on but the secret's environment variable is not set. */
public class MissingSecretException extends IllegalStateException {
    public MissingSecretException(String variable) {
        super("environment variable " + variable + " is not set: it holds the secret that signs manifests"
                + " (there is no default). Set it, e.g. export " + variable + "=$(openssl rand -hex 32),"
                + " or turn cache.verification.enabled off");
    }
}
