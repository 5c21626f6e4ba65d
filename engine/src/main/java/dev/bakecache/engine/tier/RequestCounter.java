package dev.bakecache.engine.tier;

import dev.bakecache.engine.metrics.Counter;

import java.util.Collection;
import java.util.EnumMap;
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

    /** The requests several tiers sent, as the metrics counters that total them across jobs and processes. */
    public static Map<Counter, Long> asCounters(Collection<RequestCounter> tiers) {
        Map<Counter, Long> total = new EnumMap<>(Counter.class);
        for (RequestCounter tier : tiers) {
            total.merge(Counter.REMOTE_HEAD_REQUESTS, tier.get(Request.HEAD), Long::sum);
            total.merge(Counter.REMOTE_LIST_REQUESTS, tier.get(Request.LIST), Long::sum);
            total.merge(Counter.REMOTE_GET_REQUESTS, tier.get(Request.GET), Long::sum);
            total.merge(Counter.REMOTE_PUT_REQUESTS, tier.get(Request.PUT), Long::sum);
            total.merge(Counter.REMOTE_DELETE_REQUESTS, tier.get(Request.DELETE), Long::sum);
        }
        return total;
    }

    /** {@code HEAD 3, LIST 1, GET 0, PUT 12, DELETE 0} */
    @Override
    public String toString() {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().sum())
                .collect(Collectors.joining(", "));
    }
}
