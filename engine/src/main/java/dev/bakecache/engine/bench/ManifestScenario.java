package dev.bakecache.engine.bench;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.ManifestSigner;
import dev.bakecache.engine.metrics.ProgressListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Latency of a recipe's listing: the CAS reads and verifies one signed manifest, the old system
 * has to decompress its whole archive to list it. Writing and verifying a manifest are shown on
 * their own.
 */
final class ManifestScenario extends Scenario {

    private static final String KEY = "bench-manifest";

    ManifestScenario() {
        super("manifest", "Manifest read, write and verify latency");
    }

    @Override
    public Measured measure(BenchWorkspace workspace) throws IOException {
        Path tree = workspace.freshDir("manifest/tree");
        int files = DatasetGenerator.writeTree(tree, workspace.scale(), DatasetGenerator.SEED).size();
        Path archive = workspace.freshDir("manifest/archives").resolve("recipe.tar.zst");
        TarZstBaseline.archive(tree, archive, 1);
        Stats read;
        Stats write;
        Stats verify;
        try (LocalCache cache = workspace.cache("manifest", 0)) {
            cache.ingester().ingest(KEY, tree, ProgressListener.NONE);
            ActionResult manifest = cache.actions().get(KEY).orElseThrow();
            ManifestSigner signer = workspace.signer();
            read = workspace.millis(BenchWorkspace.NOTHING, () -> cache.actions().get(KEY).orElseThrow());
            write = workspace.millis(BenchWorkspace.NOTHING, () -> cache.actions().put(manifest));
            verify = workspace.millis(BenchWorkspace.NOTHING, () -> signer.verify(manifest));
        }
        Stats list = workspace.millis(BenchWorkspace.NOTHING, () -> TarZstBaseline.list(archive));
        return new Measured(List.of(
                Comparison.of("read", "read a recipe's listing", Unit.MILLISECONDS,
                        "CAS manifest read + verify", read, "tar.zst list", list),
                Comparison.alone("write", "write a signed manifest (fsync)", Unit.MILLISECONDS, "CAS manifest write", write),
                Comparison.alone("verify", "verify a manifest's signature", Unit.MILLISECONDS, "CAS HMAC verify", verify)),
                "a manifest of " + files + " files");
    }
}
