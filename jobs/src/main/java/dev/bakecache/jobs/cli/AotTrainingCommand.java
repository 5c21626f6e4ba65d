package dev.bakecache.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Hidden: the training run the launcher records the JDK's AOT cache from (JEP 483/515). It runs
 * the common jobs twice each on a small generated tree inside {@code workDir}, so the cache holds
 * the classes and method profiles of both a cold and an incremental run.
 */
@Command(name = "aot-training", hidden = true)
public final class AotTrainingCommand implements Callable<Integer> {

    @Parameters(paramLabel = "WORK_DIR")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        Path outputs = workDir.resolve("outputs");
        for (int i = 0; i < 300; i++) {
            Path file = outputs.resolve("d" + (i % 10)).resolve("f" + i + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, ("line " + i + " of the training outputs\n").repeat(50 + i * 10));
        }
        String cache = workDir.resolve("cache").toString();
        String[][] runs = {
                {"ingest", "--cache", cache, "--key", "training", "--dir", outputs.toString()},
                {"ingest", "--cache", cache, "--key", "training", "--dir", outputs.toString()},
                {"restore", "--cache", cache, "--key", "training", "--dir", workDir.resolve("restored").toString()},
                {"restore", "--cache", cache, "--key", "training", "--dir", workDir.resolve("restored").toString()},
        };
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        for (String[] run : runs) {
            int code = BakeCacheCommand.execute(quiet, new PrintWriter(System.err, true), run);
            if (code != 0) {
                return code;
            }
        }
        return 0;
    }
}
