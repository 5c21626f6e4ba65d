package dev.bakecache.engine.metrics;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * One series of the remote request counter, {@code bake_cache_remote_requests_total{remote, method}}:
 * requests of one kind sent to one configured remote. One counter with two labels rather than a
 * counter per kind, so that a query can sum or compare remotes and kinds (what replicating to
 * {@code shared-s3} costs in PUTs, say) without knowing their names in advance.
 *
 * @param remote the remote's name in {@code cache.remotes}
 * @param method the kind of request: {@code HEAD}, {@code LIST}, {@code GET}, {@code PUT} or {@code DELETE}
 */
public record RemoteRequest(String remote, String method) implements Comparable<RemoteRequest> {

    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final Comparator<RemoteRequest> ORDER =
            Comparator.comparing(RemoteRequest::remote).thenComparing(RemoteRequest::method);

    public RemoteRequest {
        if (remote == null || remote.isBlank()) {
            throw new IllegalArgumentException("a remote request needs the remote's name, got '" + remote + "'");
        }
        if (method == null || !METHOD.matcher(method).matches()) {
            throw new IllegalArgumentException("request method '" + method + "' must be upper-case letters (e.g. GET)");
        }
    }

    @Override
    public int compareTo(RemoteRequest other) {
        return ORDER.compare(this, other);
    }
}
