package dev.bakecache.engine.remote;

import java.io.IOException;

/**
 * An S3 request failed after the SDK's retries (or at once, for a client error such as 403):
 * the message names the operation, the object and the HTTP status, and says where to look.
 */
public class S3RequestException extends IOException {

    private final int statusCode;

    /** @param statusCode the HTTP status, or 0 when no response arrived (connection refused, timeout) */
    public S3RequestException(String operation, String bucket, String key, int statusCode, Throwable cause) {
        super(operation + " s3://" + bucket + "/" + key + " failed"
                + (statusCode == 0 ? " without a response" : " with HTTP " + statusCode)
                + ": " + cause.getMessage() + hint(statusCode), cause);
        this.statusCode = statusCode;
    }

    public int statusCode() {
        return statusCode;
    }

    private static String hint(int status) {
        return switch (status) {
            case 0 -> " (is the endpoint reachable? check cache.remotes[].endpoint and the network)";
            case 301, 307, 400 -> " (check cache.remotes[].region and endpoint)";
            case 401, 403 -> " (check the credentials the AWS default chain finds and the bucket policy)";
            case 404 -> " (does the bucket exist? check cache.remotes[].bucket)";
            default -> "";
        };
    }
}
