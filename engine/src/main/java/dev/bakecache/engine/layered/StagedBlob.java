package dev.bakecache.engine.layered;

import dev.bakecache.engine.hash.Digest;

import java.nio.file.Path;

/**
 * A blob's stored bytes in the {@link StagingArea}, checked.
 *
 * @param file the staged file; the caller deletes it
 * @param digest the content digest the check found
 */
record StagedBlob(Path file, Digest digest) {
}
