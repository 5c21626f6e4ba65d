package dev.bakecache.jobs;

import dev.bakecache.jobs.cli.BakeCacheCommand;

import java.io.PrintWriter;

/**
 * The {@code bake-cache} program: the main class of the boot jar, of the launcher script and of the
 * image. It only connects the command line ({@link BakeCacheCommand}) to the process's streams and
 * exit code; nothing depends on it.
 */
public final class BakeCache {

    private BakeCache() {
    }

    public static void main(String[] args) {
        System.exit(BakeCacheCommand.execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }
}
