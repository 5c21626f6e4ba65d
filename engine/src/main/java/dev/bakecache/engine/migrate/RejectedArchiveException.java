package dev.bakecache.engine.migrate;

import java.io.IOException;

/**
 * A legacy archive that cannot be migrated as it is: hostile or broken content. Its message is
 * the reason the end report gives. It is an {@link IOException} so that it passes through the
 * readers and chunkers that consume the archive; failures of the cache itself are other
 * IOExceptions and stop the migration instead.
 */
final class RejectedArchiveException extends IOException {

    RejectedArchiveException(String reason) {
        super(reason);
    }
}
