package dev.bakecache.engine.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The Firebase Storage emulator of firebase-tools (a Node program), which serves the GCS JSON
 * API over HTTP on 127.0.0.1: one per JVM, started by the first test that asks for it and
 * stopped when the JVM exits, since it takes seconds to start.
 *
 * <p>firebase-tools is installed with npm into {@code ~/.cache/bake-cache/} once. The emulator
 * runs offline: every proxy variable points at a closed loopback port so nothing phones home,
 * and the rules runtime it would download at start is replaced by {@link RulesRuntimeStandIn}.
 * Its quirks: no bucket creation (the first object creates its bucket).
 */
public final class FirebaseStorageEmulator {

    public static final String PROJECT = "demo-bake-cache";

    private static final String FIREBASE_TOOLS_VERSION = "15.34.2";
    /** The file the emulator starts as its rules runtime: downloadableEmulatorInfo.json in firebase-tools. */
    private static final String RULES_RUNTIME_JAR = "cloud-storage-rules-runtime-v1.1.3.jar";
    private static final Path INSTALL_DIR = Path.of(System.getProperty("user.home"), ".cache", "bake-cache",
            "firebase-tools-" + FIREBASE_TOOLS_VERSION);
    /** Port 9 (discard) has no listener here: requests to it fail at once. */
    private static final String NO_PROXY_REACHABLE = "http://127.0.0.1:9";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private static URI shared;
    /** Why the emulator could not start, so later test classes fail at once instead of trying again. */
    private static RuntimeException failure;

    private final Process process;
    private final URI endpoint;
    /** Its config, its log and the stand-in runtime, removed when it stops. */
    private final Path dir;

    private FirebaseStorageEmulator(Process process, URI endpoint, Path dir) {
        this.process = process;
        this.endpoint = endpoint;
        this.dir = dir;
    }

    /** The shared emulator's endpoint, starting it (and installing firebase-tools) on first use. */
    public static synchronized URI endpoint() {
        if (failure != null) {
            throw failure;
        }
        if (shared == null) {
            try {
                FirebaseStorageEmulator emulator = start(firebaseCli());
                Runtime.getRuntime().addShutdownHook(new Thread(emulator::stop, "firebase-storage-emulator-stop"));
                shared = emulator.endpoint;
            } catch (IOException e) {
                failure = new UncheckedIOException(e);
                throw failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the Firebase Storage emulator", e);
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return shared;
    }

    private static Path firebaseCli() throws IOException, InterruptedException {
        Path cli = INSTALL_DIR.resolve("node_modules/.bin/firebase");
        if (Files.isExecutable(cli)) {
            return cli;
        }
        Path staging = Files.createDirectories(INSTALL_DIR.resolveSibling(INSTALL_DIR.getFileName() + ".installing-"
                + ProcessHandle.current().pid()));
        Path log = staging.resolve("npm-install.log");
        List<String> command = List.of("npm", "install", "--prefix", staging.toString(), "--no-audit", "--no-fund",
                "--loglevel=error", "firebase-tools@" + FIREBASE_TOOLS_VERSION);
        Process npm;
        try {
            npm = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("the GCS tests run the Firebase Storage emulator, which needs Node and npm"
                    + " on PATH (Debian: apt-get install nodejs npm)", e);
        }
        if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; its output is in " + log);
        }
        try {
            Files.move(staging, INSTALL_DIR, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            if (!Files.isExecutable(cli)) {
                throw raced;
            }
        }
        return cli;
    }

    private static FirebaseStorageEmulator start(Path cli) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("firebase-storage-emulator");
        int port = freePort();
        Files.writeString(dir.resolve("storage.rules"), """
                rules_version = '2';
                service firebase.storage {
                  match /b/{bucket}/o {
                    match /{allPaths=**} {
                      allow read, write: if false;
                    }
                  }
                }
                """);
        Files.writeString(dir.resolve("firebase.json"), """
                {
                  "storage": {"rules": "storage.rules"},
                  "emulators": {
                    "storage": {"host": "127.0.0.1", "port": %d},
                    "hub": {"host": "127.0.0.1", "port": %d},
                    "logging": {"host": "127.0.0.1", "port": %d},
                    "ui": {"enabled": false}
                  }
                }
                """.formatted(port, freePort(), freePort()));
        Path emulators = Files.createDirectories(dir.resolve("emulators"));
        writeRulesRuntimeStandIn(emulators.resolve(RULES_RUNTIME_JAR));

        ProcessBuilder builder = new ProcessBuilder(cli.toString(), "emulators:start", "--only", "storage",
                "--project", PROJECT, "--non-interactive")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("emulator.log").toFile());
        Map<String, String> env = builder.environment();
        // The emulator runs its rules runtime with the java on PATH and needs Java 21 or newer:
        // this JVM's own is.
        String javaHome = System.getProperty("java.home");
        env.put("JAVA_HOME", javaHome);
        env.put("PATH", Path.of(javaHome, "bin") + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        for (String proxy : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            env.put(proxy, NO_PROXY_REACHABLE);
        }
        env.put("NO_PROXY", "127.0.0.1,localhost");
        env.put("no_proxy", "127.0.0.1,localhost");
        env.put("FIREBASE_EMULATORS_PATH", emulators.toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.put("NO_UPDATE_NOTIFIER", "1");
        env.put("CI", "true");
        Process process = builder.start();
        FirebaseStorageEmulator emulator = new FirebaseStorageEmulator(process, URI.create("http://127.0.0.1:" + port), dir);
        emulator.awaitReady(dir.resolve("emulator.log"));
        return emulator;
    }

    /** Waits until the port answers HTTP, which it does once the emulator has loaded its rules. */
    private void awaitReady(Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        try (HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest probe = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).build();
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    String output = Files.readString(log);
                    stop();
                    throw new IllegalStateException("the Firebase Storage emulator exited with " + process.exitValue()
                            + ":\n" + output);
                }
                try {
                    http.send(probe, HttpResponse.BodyHandlers.discarding());
                    return;
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
        }
        String output = Files.readString(log);
        stop();
        throw new IllegalStateException("the Firebase Storage emulator did not answer within " + START_TIMEOUT
                + ":\n" + output);
    }

    /** Ends the CLI and what it started (the rules runtime's JVM), gently first, and removes its files. */
    private void stop() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    private static void writeRulesRuntimeStandIn(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, RulesRuntimeStandIn.class.getName());
        String entry = RulesRuntimeStandIn.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream classFile = RulesRuntimeStandIn.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
