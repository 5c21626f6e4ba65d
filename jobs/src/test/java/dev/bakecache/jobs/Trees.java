package dev.bakecache.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

/** Small output trees built in tests; {@code CacheFixtures.describeTree} describes one on disk. */
final class Trees {

    private Trees() {
    }

    static Path sample(Path root) throws IOException {
        Files.createDirectories(root.resolve("dist/js"));
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("empty"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(root.resolve("dist/js/m" + i + ".js"), ("export const v" + i + " = " + i + ";\n").repeat(100));
        }
        byte[] binary = new byte[50_000];
        new Random(1).nextBytes(binary);
        Files.write(root.resolve("dist/app.wasm"), binary);
        Files.writeString(root.resolve("bin/start"), "#!/bin/sh\nexec node dist/js/m0.js\n");
        Files.setPosixFilePermissions(root.resolve("bin/start"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("dist/main.js"), Path.of("js/m0.js"));
        return root;
    }

    /** Random files, so that hashing and storing them takes measurable time. */
    static Path large(Path root, int files, int bytesEach) throws IOException {
        Random random = new Random(7);
        byte[] data = new byte[bytesEach];
        for (int i = 0; i < files; i++) {
            Path file = root.resolve("d" + (i % 10)).resolve("f" + i + ".bin");
            Files.createDirectories(file.getParent());
            random.nextBytes(data);
            Files.write(file, data);
        }
        return root;
    }
}
