package dev.bakecache.engine.remote;

import java.io.IOException;

/**
 * A bucket request failed after the client's retries (or at once, for a client error such as
 * 403): the message names the operation, the object and the HTTP status, and says where to look.
 */
public class ObjectRequestException extends IOException {

    private final int statusCode;

    /**
     * @param url the object, as {@link ObjectBucket#url} names it
     * @param statusCode the HTTP status, or 0 when no response arrived (connection refused, timeout)
     * @param credentials where the provider's client finds credentials, for the hint on 401 and 403
     */
    public ObjectRequestException(String operation, String url, int statusCode, String credentials, Throwable cause) {
        super(operation + " " + url + " failed"
                + (statusCode == 0 ? " without a response" : " with HTTP " + statusCode)
                + ": " + cause.getMessage() + hint(statusCode, credentials), cause);
        this.statusCode = statusCode;
    }

    /** A request that got an answer the bucket cannot accept, such as an upload stored with other bytes. */
    public ObjectRequestException(String message, int statusCode) {
        super(message);
        this.statusCode = statusCode;
    }

    public int statusCode() {
        return statusCode;
    }

    private static String hint(int status, String credentials) {
        return switch (status) {
            case 0 -> " (is the endpoint reachable? check cache.remotes[].endpoint and the network)";
            case 301, 307, 400 -> " (check cache.remotes[].region and endpoint)";
            case 401, 403 -> " (check the credentials " + credentials + " finds and the bucket's permissions)";
            case 404 -> " (does the bucket exist? check cache.remotes[].bucket)";
            default -> "";
        };
    }
}
