package dev.bakecache.engine.config;

/** The kind of object store a remote tier lives in ({@code cache.remotes[].type}). */
public enum RemoteType {
    /** Amazon S3 or anything that speaks its API (MinIO, S3Proxy) through {@code endpoint}. */
    S3("s3", "s3://"),
    /** Google Cloud Storage. */
    GCS("gcs", "gs://");

    private final String id;
    private final String scheme;

    RemoteType(String id, String scheme) {
        this.id = id;
        this.scheme = scheme;
    }

    public String id() {
        return id;
    }

    /** The URL scheme the provider's own tools use, with its {@code ://}. */
    public String scheme() {
        return scheme;
    }

    public static RemoteType fromId(String value) {
        return Ids.lookup(values(), RemoteType::id, value, "remote type");
    }
}
