package dev.bakecache.jobs;

import dev.bakecache.jobs.repository.JobRepositoryLocation;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for one test class: initdb into a temporary directory, started on
 * 127.0.0.1 on a free port with trust authentication, deleted on close. It needs only the
 * Debian {@code postgresql} package; as root it runs the server as the {@code postgres} user,
 * which PostgreSQL insists on.
 */
final class PostgresServer implements AutoCloseable {

    private static final String USER = "bake";

    private final Path bin;
    private final Path dir;
    private final int port;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("bake-postgres");
        if (runningAsRoot()) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresServer server = new PostgresServer(bin, dir, port);
        server.run("initdb", "-D", dir.resolve("data").toString(), "-U", USER, "-A", "trust", "--no-sync");
        server.run("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w",
                "-o", "-h 127.0.0.1 -p " + port + " -k " + dir + " -F", "start");
        return server;
    }

    /** The environment that points bake-cache's job repository at this server. */
    Map<String, String> env() {
        return Map.of(JobRepositoryLocation.URL_ENV, url(), JobRepositoryLocation.USER_ENV, USER);
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    String user() {
        return USER;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private void run(String program, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("bake-postgres", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                Assertions.fail(String.join(" ", command) + " failed:\n" + Files.readString(log));
            }
        } finally {
            Files.delete(log);
        }
    }

    /** CI must run these tests: there a missing server fails; elsewhere it skips them. */
    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        Path initdb = null;
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                initdb = versions.map(v -> v.resolve("bin/initdb")).filter(Files::isExecutable)
                        .max(Comparator.naturalOrder()).orElse(null);
            }
        }
        String missing = "no PostgreSQL server under " + root + "; install it: apt-get install -y postgresql";
        if (initdb == null) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(missing);
            }
            Assumptions.abort(missing);
        }
        return initdb.getParent();
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
