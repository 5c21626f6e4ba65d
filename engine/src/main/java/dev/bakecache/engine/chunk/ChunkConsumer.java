package dev.bakecache.engine.chunk;

import java.io.IOException;

/**
 * Receives the chunks of a stream, in order, from {@link FastCdcChunker#split}.
 *
 * <p>The bytes are only valid during the call: the chunker reuses its buffer, so a consumer that
 * keeps a chunk must copy it (or hash/compress/write it before returning).
 */
@FunctionalInterface
public interface ChunkConsumer {

    /**
     * Handles one chunk, {@code buf[offset, offset + length)}; {@code length} is at least 1.
     *
     * @throws IOException to abort the split; it propagates out of {@link FastCdcChunker#split}
     */
    void accept(byte[] buf, int offset, int length) throws IOException;
}
