package dev.bakecache.engine.tier;

import dev.bakecache.engine.metrics.RemoteRequest;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Requests a remote tier has sent, by kind (the local tier sends none). Object-store requests cost money and time, so jobs print
 * these in their summaries: a second replicate that finds everything present must show no PUT
 * and no per-blob HEAD.
 */
public final class RequestCounter {

    public enum Request { HEAD, LIST, GET, PUT, DELETE }

    private final Map<Request, LongAdder> counts = new EnumMap<>(Request.class);

    public RequestCounter() {
        for (Request request : Request.values()) {
            counts.put(request, new LongAdder());
        }
    }

    public void count(Request request) {
        counts.get(request).increment();
    }

    public long get(Request request) {
        return counts.get(request).sum();
    }

    /**
     * The requests the remotes sent, per remote and kind, as the metrics series that total them
     * across jobs and processes; kinds a remote sent none of are there as zeros.
     */
    public static Map<RemoteRequest, Long> byRemote(Collection<? extends Tier> remotes) {
        Map<RemoteRequest, Long> counts = new HashMap<>();
        for (Tier remote : remotes) {
            for (Request request : Request.values()) {
                counts.merge(new RemoteRequest(remote.name(), request.name()), remote.requests().get(request), Long::sum);
            }
        }
        return counts;
    }

    /** {@code HEAD 3, LIST 1, GET 0, PUT 12, DELETE 0} */
    @Override
    public String toString() {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().sum())
                .collect(Collectors.joining(", "));
    }
}
