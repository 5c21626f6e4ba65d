package dev.bakecache.engine.remote;

/** The contract on google-cloud-nio's in-memory GCS, in addition to the emulator run. */
class GcsInMemoryBlobStoreContractTest extends BucketBlobStoreContract {

    private static final GcsServer server = GcsServer.inMemory();

    @Override
    protected BucketServer server() {
        return server;
    }
}
