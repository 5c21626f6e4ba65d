package dev.bakecache.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine the numbers were measured on, so a reader can tell whether they apply to theirs.
 *
 * @param cpuModel   from /proc/cpuinfo, or "unknown"
 * @param processors processors available to the JVM
 * @param os         name, version and architecture
 * @param java       runtime version
 * @param maxHeapBytes the JVM's maximum heap
 */
public record Machine(String cpuModel, int processors, String os, String java, long maxHeapBytes) {

    public static Machine current() {
        return new Machine(readCpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.version().toString(), Runtime.getRuntime().maxMemory());
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
