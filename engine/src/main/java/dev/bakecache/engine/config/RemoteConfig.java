package dev.bakecache.engine.config;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One remote tier ({@code cache.remotes[]}). There is no {@code defaults()}: a remote is nothing
 * without its name, type and bucket; {@link #of} fills in the rest.
 *
 * @param name how jobs and the CLI refer to it ({@code replicate --to teamS3}); unique, and not
 *     {@code local}, which names the local tier
 * @param type S3 or GCS
 * @param bucket the bucket
 * @param region the S3 region, or {@code null} to use the SDK's default lookup
 * @param prefix prepended to every object key, e.g. {@code bake/}; {@code ""} when not set
 * @param project the GCS project, or {@code null} for the client's default
 * @param endpoint an S3-compatible or emulator endpoint such as {@code http://127.0.0.1:9000}, or
 *     {@code null} for the provider's own
 */
public record RemoteConfig(String name, RemoteType type, String bucket, String region, String prefix,
                           String project, URI endpoint) {

    /** The name of the local tier, which a remote may not take. */
    public static final String LOCAL_TIER = "local";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public RemoteConfig {
        region = blankToNull(region);
        project = blankToNull(project);
        prefix = prefix == null ? "" : prefix;
        Checks checks = new Checks();
        if (checks.require(name != null && !name.isBlank(), "name", "is required")) {
            if (checks.require(NAME.matcher(name).matches(), "name",
                    "'" + name + "' may contain only letters, digits, '.', '_' and '-', starting with a letter or digit")) {
                checks.require(!name.toLowerCase(Locale.ROOT).equals(LOCAL_TIER), "name",
                        "'" + name + "' is reserved for the local tier; choose another name");
            }
        }
        checks.require(type != null, "type", "is required (s3 or gcs)");
        checks.require(bucket != null && !bucket.isBlank(), "bucket", "is required");
        if (endpoint != null) {
            String scheme = endpoint.getScheme();
            checks.require(endpoint.getHost() != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)),
                    "endpoint", "'" + endpoint + "' is not an http(s) URL (example: http://127.0.0.1:9000)");
        }
        checks.throwIfAny();
    }

    /** A remote with only the required fields set. */
    public static RemoteConfig of(String name, RemoteType type, String bucket) {
        return new RemoteConfig(name, type, bucket, null, "", null, null);
    }

    /** Where the objects live, for messages: {@code s3://my-build-cache/bake/}. */
    public String location() {
        return type.scheme() + bucket + "/" + prefix;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
