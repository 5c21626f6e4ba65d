package dev.bakecache.jobs.cli;

import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.jobs.launch.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Hashes files the way the cache names blobs, in b3sum's and sha256sum's output format, so a
 * digest can be checked against either tool. Not a job: it needs no cache, no configuration and
 * no Spring, so it starts as fast as the JVM.
 */
@Command(name = "digest", mixinStandardHelpOptions = true,
        description = "Prints '<hash>  <file>' for each FILE, as b3sum and sha256sum do. Reads each file as a stream,"
                + " in constant memory. Exits 1 if a file cannot be read, after hashing the others.")
public final class DigestCommand implements Callable<Integer> {

    @Option(names = "--algo", paramLabel = "ALGORITHM", defaultValue = "blake3",
            description = "blake3 (default) or sha256")
    String algorithm;

    @Parameters(paramLabel = "FILE", arity = "1..*")
    List<String> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HashAlgorithm chosen;
        try {
            chosen = HashAlgorithm.fromId(algorithm);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--algo: " + e.getMessage());
        }
        if (files.stream().anyMatch(String::isBlank)) {
            throw new ParameterException(spec.commandLine(), "FILE: " + NonBlankPathConverter.BLANK);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int exitCode = ExitCodes.COMPLETED;
        for (String file : files) {
            try {
                out.println(chosen.digest(Path.of(file)).hash() + "  " + file);
            } catch (NoSuchFileException e) {
                err.println("bake-cache: " + file + ": No such file or directory");
                exitCode = ExitCodes.FAILED;
            } catch (IOException e) {
                err.println("bake-cache: " + file + ": " + e.getMessage());
                exitCode = ExitCodes.FAILED;
            }
        }
        out.flush();
        return exitCode;
    }
}
