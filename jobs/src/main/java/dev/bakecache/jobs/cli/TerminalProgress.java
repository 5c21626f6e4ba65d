package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.metrics.ProgressListener;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress display on stderr (files, bytes, rate), redrawn at most four times a
 * second, and only when attached to a terminal: logs and pipes get the summary line alone.
 */
final class TerminalProgress implements ProgressListener {

    private static final long REDRAW_NANOS = 250_000_000L;

    private final String label;
    private final PrintStream err;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong lastDrawNanos = new AtomicLong();
    private volatile long plannedFiles;
    private volatile long plannedBytes;
    private volatile boolean drawn;

    private TerminalProgress(String label, PrintStream err, boolean enabled) {
        this.label = label;
        this.err = err;
        this.enabled = enabled;
    }

    /** Java cannot ask whether stderr alone is a terminal; a console on stdin/stdout is the usual proxy. */
    static TerminalProgress forStderr(String label) {
        java.io.Console console = System.console();
        return new TerminalProgress(label, System.err, console != null && console.isTerminal());
    }

    @Override
    public void planned(long files, long bytes) {
        plannedFiles = files;
        plannedBytes = bytes;
    }

    @Override
    public void advanced(long moreFiles, long moreBytes) {
        long doneFiles = files.addAndGet(moreFiles);
        long doneBytes = bytes.addAndGet(moreBytes);
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        long last = lastDrawNanos.get();
        if (now - last >= REDRAW_NANOS && lastDrawNanos.compareAndSet(last, now)) {
            draw(doneFiles, doneBytes, now);
        }
    }

    private synchronized void draw(long doneFiles, long doneBytes, long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        String line = String.format(Locale.ROOT, "%s: %d/%d files, %s/%s, %s/s", label, doneFiles, plannedFiles,
                ByteSize.format(doneBytes), ByteSize.format(plannedBytes), ByteSize.format((long) (doneBytes / seconds)));
        err.print("\r" + line + "\u001B[K");
        err.flush();
        drawn = true;
    }

    /** Clears the line so the summary starts on a clean one. */
    void finish() {
        if (drawn) {
            err.print("\r\u001B[K");
            err.flush();
        }
    }
}
