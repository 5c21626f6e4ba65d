package dev.bakecache.engine.remote;

import org.junit.jupiter.api.extension.RegisterExtension;

class S3BlobStoreContractTest extends BucketBlobStoreContract {

    @RegisterExtension
    static final S3ProxyServer server = new S3ProxyServer();

    @Override
    protected BucketServer server() {
        return server;
    }
}
