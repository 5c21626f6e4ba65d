package dev.bakecache.engine.remote;

/** The bucket tier on the Firebase Storage emulator, over the GCS JSON API on HTTP. */
class GcsTierTest extends BucketTierContract {

    private static final GcsServer server = GcsServer.emulator();

    @Override
    protected BucketServer server() {
        return server;
    }
}
