package dev.bakecache.engine.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches memory while one scenario runs. The JVM keeps no resettable heap peak, so a daemon
 * thread samples used heap every few milliseconds; the kernel does keep a resettable RSS peak
 * (writing 5 to /proc/self/clear_refs resets VmHWM), which is read at the end.
 */
final class MemoryProbe implements AutoCloseable {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final long SAMPLE_MILLIS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong heapPeak = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    private MemoryProbe() {
        resetRssPeak();
        sample();
        sampler = Thread.ofPlatform().daemon().name("bench-memory-probe").start(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static MemoryProbe start() {
        return new MemoryProbe();
    }

    private void sample() {
        heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    /** Stops sampling and reports what was seen. */
    MemoryUse finish() {
        running = false;
        sampler.interrupt();
        sample();
        return new MemoryUse(heapPeak.get(), statusKib("VmHWM:") * 1024, statusKib("VmRSS:") * 1024);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    private static void resetRssPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // older kernels and some sandboxes refuse: the peak is then the process's lifetime peak
        }
    }

    private static long statusKib(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc (not Linux): RSS is reported as 0
        }
        return 0;
    }
}
