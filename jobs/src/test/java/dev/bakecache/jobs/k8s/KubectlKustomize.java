package dev.bakecache.jobs.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * {@code kubectl kustomize DIR}, run as a child process: the manifests exactly as
 * {@code kubectl apply -k DIR} would send them, rendered by the real kustomize (v5.5 in kubectl 1.32)
 * rather than by a copy of its rules, which could only ever cover the features copied. It needs no
 * cluster.
 *
 * <p>CI must render: there (environment {@code CI=true}) a missing kubectl fails the tests;
 * elsewhere it skips them, saying what to install.
 */
final class KubectlKustomize {

    private static final long TIMEOUT_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private KubectlKustomize() {
    }

    /** @throws IllegalArgumentException with kustomize's own message when the directory does not render */
    static List<ObjectNode> render(Path dir) {
        ProcessBuilder command = new ProcessBuilder(kubectl().toString(), "kustomize", dir.toString());
        try {
            Process process = command.start();
            process.getOutputStream().close();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String rendered = readAll(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command.command()) + " still runs after "
                        + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalArgumentException(String.join(" ", command.command()) + " exited "
                        + process.exitValue() + ": " + errors.join().strip());
            }
            return documents(rendered);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.command(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + command.command(), e);
        }
    }

    /** Every document of a YAML stream, as JSON trees. */
    private static List<ObjectNode> documents(String yaml) {
        Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
        return StreamSupport.stream(parser.loadAll(yaml).spliterator(), false)
                .filter(Objects::nonNull)
                .map(document -> (ObjectNode) JSON.valueToTree(document))
                .toList();
    }

    private static Path kubectl() {
        Path found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (found == null) {
            String missing = "kubectl is not on the PATH: the k8s-cronjobs tests render the manifests with"
                    + " `kubectl kustomize` (kubectl 1.32 bundles kustomize v5.5); install kubectl";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(missing);
            }
            Assumptions.abort(missing);
        }
        return found;
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
