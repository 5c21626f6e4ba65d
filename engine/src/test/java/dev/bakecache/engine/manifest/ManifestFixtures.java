package dev.bakecache.engine.manifest;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

final class ManifestFixtures {

    static final byte[] SECRET = "test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private ManifestFixtures() {
    }

    static Digest digestOf(String content) {
        return HashAlgorithm.BLAKE3.digest(content.getBytes(StandardCharsets.UTF_8));
    }

    static ActionResult sample(String key) {
        Digest part1 = digestOf("part one");
        Digest part2 = digestOf("part two!");
        Digest whole = new Digest(digestOf("part onepart two!").hash(), part1.size() + part2.size());
        return new ActionResult(key, "blake3",
                List.of(new OutputFile("dist/app.js", digestOf("console.log(1)"), false),
                        new OutputFile("bin/run", digestOf("#!/bin/sh"), true),
                        new OutputFile("big/model.bin", whole, false, List.of(part1, part2))),
                List.of(new OutputDirectory("empty")),
                List.of(new OutputSymlink("dist/latest.js", "app.js")),
                new ExecutionMetadata("builder-1", Instant.parse("2026-11-25T10:00:00Z"),
                        Instant.parse("2026-11-25T10:00:02Z")),
                Instant.parse("2026-11-25T10:00:03Z"), null);
    }
}
