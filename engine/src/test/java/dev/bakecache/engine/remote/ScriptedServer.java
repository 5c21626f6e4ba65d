package dev.bakecache.engine.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP server on 127.0.0.1 that answers each blob's requests with the statuses a test
 * scripted for it, in order (the last one repeating): for what goes over the wire, such as which
 * failures a client retries. A blob is told by the last segment of the request path, its hash.
 */
final class ScriptedServer implements AutoCloseable {

    /** What a request gets besides its status; may read the request, as an upload's checks need. */
    @FunctionalInterface
    interface Responder {
        byte[] body(HttpExchange exchange, String hash, int status) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, AtomicInteger> requestsByBlob = new ConcurrentHashMap<>();
    private final Map<String, int[]> statusesByBlob = new ConcurrentHashMap<>();

    ScriptedServer(Responder responder) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String hash = exchange.getRequestURI().getPath().replaceAll(".*/", "");
            int n = requestsByBlob.computeIfAbsent(hash, h -> new AtomicInteger()).getAndIncrement();
            int[] statuses = statusesByBlob.get(hash);
            int status = statuses[Math.min(n, statuses.length - 1)];
            byte[] body = responder.body(exchange, hash, status);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (body.length == 0) {
                // a HEAD's answer says the object's size in this header, and clients read it
                exchange.getResponseHeaders().add("Content-Length", "0");
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void script(String hash, int... statuses) {
        statusesByBlob.put(hash, statuses);
    }

    int requests(String hash) {
        return requestsByBlob.get(hash).get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
