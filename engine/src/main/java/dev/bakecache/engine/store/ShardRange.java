package dev.bakecache.engine.store;

import dev.bakecache.engine.hash.HashAlgorithm;

import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;

/**
 * A contiguous range of the 256 shards ({@code 00} to {@code ff}), the unit in which fleet-scale
 * work is split: partition {@code i} of {@code n} (a Kubernetes Indexed Job's
 * {@code JOB_COMPLETION_INDEX} and {@code completions}) takes shards
 * {@code [i*256/n, (i+1)*256/n)}, so the ranges of all partitions cover every shard exactly once.
 *
 * @param first the first shard, 0 to 255
 * @param end one past the last shard, {@code first} to 256
 */
public record ShardRange(int first, int end) {

    public static final int SHARDS = 256;

    public static final ShardRange ALL = new ShardRange(0, SHARDS);

    public ShardRange {
        if (first < 0 || end > SHARDS || first > end) {
            throw new IllegalArgumentException("shard range [" + first + ", " + end + ") is not within [0, 256)");
        }
    }

    /** Partition {@code index} of {@code count}. */
    public static ShardRange partition(int index, int count) {
        if (count < 1 || count > SHARDS) {
            throw new IllegalArgumentException("partitions must be between 1 and 256, got " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("partition index must be between 0 and " + (count - 1) + ", got " + index);
        }
        return new ShardRange(index * SHARDS / count, (index + 1) * SHARDS / count);
    }

    /** Parses {@code I/N}, e.g. {@code 3/16}; the error says what is wrong. */
    public static ShardRange parse(String partition) {
        int slash = partition.indexOf('/');
        try {
            if (slash > 0) {
                return partition(Integer.parseInt(partition.substring(0, slash).trim()),
                        Integer.parseInt(partition.substring(slash + 1).trim()));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("'" + partition + "' is not a partition; expected INDEX/COUNT such as 0/4");
    }

    /** {@code 64-128}: the range as a job parameter, read back by {@link #ofParameter}. */
    public String asParameter() {
        return first + "-" + end;
    }

    /** @param parameter {@code first-end} as {@link #asParameter} wrote it, or null for all shards */
    public static ShardRange ofParameter(String parameter) {
        if (parameter == null) {
            return ALL;
        }
        int dash = parameter.indexOf('-');
        return new ShardRange(Integer.parseInt(parameter.substring(0, dash)), Integer.parseInt(parameter.substring(dash + 1)));
    }

    public boolean isAll() {
        return first == 0 && end == SHARDS;
    }

    public int size() {
        return end - first;
    }

    public boolean contains(int shard) {
        return shard >= first && shard < end;
    }

    /** The shard of a blob: its hash's first byte. */
    public static int shardOf(String hash) {
        return Integer.parseInt(hash.substring(0, 2), 16);
    }

    /**
     * The shard an action key's manifest falls in, for splitting manifest work the way blob work
     * is split: by the first byte of the key's SHA-256, so keys spread evenly whatever they look like.
     */
    public static int shardOfKey(String actionKey) {
        return shardOf(HashAlgorithm.SHA256.digest(actionKey.getBytes(StandardCharsets.UTF_8)).hash());
    }

    /** The shard prefixes in the range: {@code "00"}, {@code "01"}, ... */
    public IntStream shards() {
        return IntStream.range(first, end);
    }

    public static String prefix(int shard) {
        return "%02x".formatted(shard);
    }

    /** {@code shards 40-7f} */
    @Override
    public String toString() {
        return first == end ? "no shards" : "shards " + prefix(first) + "-" + prefix(end - 1);
    }
}
