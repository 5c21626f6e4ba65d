package dev.bakecache.engine.store;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.hash.Digest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

class LocalBlobStoreContractTest extends TierBlobStoreContract {

    private CasLayout layout;
    private LocalBlobStore local;

    @Override
    protected BlobStore openEmptyStore(Path root) throws IOException {
        layout = new CasLayout(root);
        local = LocalBlobStore.open(layout, BlobKind.BLOB, ALGORITHM, CompressionPolicy.defaults());
        return local;
    }

    @Override
    protected Path stagingDir() {
        return layout.tmpDir();
    }

    @Override
    protected byte[] storedBytes(Digest digest) throws IOException {
        return Files.readAllBytes(local.pathOf(digest));
    }

    @Override
    protected void replaceStoredBytes(Digest digest, byte[] stored) throws IOException {
        Path file = local.pathOf(digest);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.write(file, stored);
    }
}
