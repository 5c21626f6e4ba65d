package dev.bakecache.engine.concurrent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Collection;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a task for each item on a pool of at most {@code parallelism} threads, for as long as the
 * call: the engine's one way of doing I/O in parallel (uploads, existence checks, copies between
 * tiers). The first failure wins: it is rethrown as it is and the tasks not yet done are
 * cancelled, since a batch that failed once is reported failed however many more would succeed.
 * One item, or a parallelism of one, runs on the calling thread: no pool for nothing.
 */
public final class BoundedParallel {

    /** One item's work. */
    @FunctionalInterface
    public interface Task<T> {
        void run(T item) throws IOException;
    }

    private BoundedParallel() {
    }

    public static <T> void forEach(Collection<? extends T> items, int parallelism, Task<? super T> task)
            throws IOException {
        if (items.size() <= 1 || parallelism <= 1) {
            for (T item : items) {
                task.run(item);
            }
            return;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, items.size()))) {
            CompletionService<Void> finished = new ExecutorCompletionService<>(pool);
            for (T item : items) {
                finished.submit(() -> {
                    task.run(item);
                    return null;
                });
            }
            try {
                for (int i = 0; i < items.size(); i++) {
                    finished.take().get();
                }
            } catch (ExecutionException e) {
                pool.shutdownNow();
                throw asThrown(e.getCause());
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while " + items.size() + " tasks ran in parallel");
            }
        }
    }

    private static IOException asThrown(Throwable cause) {
        return switch (cause) {
            case IOException io -> io;
            case RuntimeException unchecked -> throw unchecked;
            case Error error -> throw error;
            default -> new IOException(cause);
        };
    }
}
