package dev.bakecache.engine.remote;

/** The contract on the Firebase Storage emulator, over the GCS JSON API on HTTP. */
class GcsBlobStoreContractTest extends BucketBlobStoreContract {

    private static final GcsServer server = GcsServer.emulator();

    @Override
    protected BucketServer server() {
        return server;
    }
}
