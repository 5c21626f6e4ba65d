package dev.bakecache.engine.replicate;

import java.util.ArrayList;
import java.util.List;

/**
 * What copying one or more shards did.
 *
 * @param listed blobs and chunks the source had
 * @param copied those the target lacked and now has
 * @param copiedBytes stored bytes moved
 * @param corrupt hashes ({@code blob <hash>} or {@code chunk <hash>}) whose source copy failed its
 *     check and was therefore not copied
 */
public record ShardCopy(long listed, long copied, long copiedBytes, List<String> corrupt) {

    public static final ShardCopy NONE = new ShardCopy(0, 0, 0, List.of());

    public ShardCopy {
        corrupt = List.copyOf(corrupt);
    }

    public ShardCopy plus(ShardCopy other) {
        List<String> both = new ArrayList<>(corrupt);
        both.addAll(other.corrupt);
        return new ShardCopy(listed + other.listed, copied + other.copied, copiedBytes + other.copiedBytes, both);
    }
}
