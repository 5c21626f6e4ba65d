package dev.bakecache.engine.ingest;

import dev.bakecache.engine.chunk.FastCdcChunker;
import dev.bakecache.engine.config.ChunkingConfig;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.DigestMismatchException;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.hash.Hasher;
import dev.bakecache.engine.store.BlobStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The content half of the write path for one file: hash it, and cut it into chunks when it is
 * large. Whole-file blobs are put later, after one batched existence check over the hashed files
 * ({@link Ingester}); chunks are put as they are cut, since their bytes are in hand right then.
 * The migration of legacy archives uses {@link #storeChunks} on the content of tar entries.
 */
public final class FileStorer {

    /** A file's content as stored: its digest, its chunks if any, and what had to be written. */
    public record Content(Digest digest, List<Digest> chunks, long newBlobs, long newBytes) {
    }

    private final HashAlgorithm algorithm;
    private final BlobStore chunks;
    private final ChunkingConfig chunking;
    private final FastCdcChunker chunker;

    public FileStorer(HashAlgorithm algorithm, BlobStore chunks, ChunkingConfig chunking) {
        this.algorithm = algorithm;
        this.chunks = chunks;
        this.chunking = chunking;
        this.chunker = new FastCdcChunker(chunking.params());
    }

    /** Hashes the file; a large file is also chunked and its missing chunks stored. */
    Content hash(Path file, long size) throws IOException {
        if (!chunking.appliesTo(size)) {
            return new Content(algorithm.digest(file), List.of(), 0, 0);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return storeChunks(in);
        }
    }

    /**
     * Cuts {@code content} into chunks, stores the missing ones and hashes the whole, reading the
     * stream once to its end (it is not closed): for content above the chunking threshold.
     */
    public Content storeChunks(InputStream content) throws IOException {
        Hasher whole = algorithm.newHasher();
        List<Digest> chunkDigests = new ArrayList<>();
        AtomicLong newChunks = new AtomicLong();
        AtomicLong newBytes = new AtomicLong();
        chunker.split(content, (buf, offset, length) -> {
            whole.update(buf, offset, length);
            Digest chunk = algorithm.digest(buf, offset, length);
            chunkDigests.add(chunk);
            if (!chunks.contains(chunk) && chunks.put(chunk, new ByteArrayInputStream(buf, offset, length))) {
                newChunks.incrementAndGet();
                newBytes.addAndGet(length);
            }
        });
        return new Content(whole.finish(), List.copyOf(chunkDigests), newChunks.get(), newBytes.get());
    }

    /** Puts a whole-file blob; a file that changed since it was hashed is reported by path. */
    static boolean putWhole(BlobStore blobs, Path file, Digest digest) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return blobs.put(digest, in);
        } catch (DigestMismatchException e) {
            throw new IngestException(file + ": changed while it was being ingested (expected " + e.expected()
                    + ", read " + e.actual() + "); run the ingest again once the build has finished writing");
        }
    }
}
