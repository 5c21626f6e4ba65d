package dev.bakecache.engine.remote;

/** The bucket tier on google-cloud-nio's in-memory GCS, in addition to the emulator run. */
class GcsInMemoryTierTest extends BucketTierContract {

    private static final GcsServer server = GcsServer.inMemory();

    @Override
    protected BucketServer server() {
        return server;
    }

    @Override
    protected boolean serverChecksUploads() {
        return false;
    }
}
