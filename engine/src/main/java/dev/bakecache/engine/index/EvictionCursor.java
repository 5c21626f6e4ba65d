package dev.bakecache.engine.index;

import dev.bakecache.engine.config.EvictionPolicy;
import java.util.Objects;

/**
 * Where a page of eviction candidates ended: the sort key of its last entry under one policy.
 * The next page starts strictly after that key (keyset paging), so entries the caller deleted in
 * between do not shift the rest, as they would with an offset, and entries it chose to keep are
 * not offered again.
 *
 * <p>Treat it as opaque. {@code key1}/{@code key2} are the policy's sort columns (see
 * {@link BlobIndex#evictionPage}) and {@code rowId} is SQLite's row id, the final tie-breaker; many
 * entries share a {@code last_accessed} because {@link BlobIndex#recordAccess} stamps a whole batch
 * with one time. Row ids are stable across updates but not across {@link BlobIndex#replaceAll}, so
 * a cursor is meant for one eviction run; a stale one still pages in order, at worst re-offering or
 * skipping entries that tie on the sort key. {@link #toToken()} gives a string to keep in a job's
 * execution context, {@link #fromToken(String)} reads it back.
 */
public record EvictionCursor(EvictionPolicy policy, long key1, long key2, long rowId) {

    public EvictionCursor {
        Objects.requireNonNull(policy, "policy");
    }

    /** {@code policy:key1:key2:rowId}, e.g. {@code lru:1764000000000:0:42}. */
    public String toToken() {
        return policy.id() + ":" + key1 + ":" + key2 + ":" + rowId;
    }

    public static EvictionCursor fromToken(String token) {
        String[] parts = token == null ? new String[0] : token.split(":", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(
                    "eviction cursor '" + token + "' must look like <policy>:<key1>:<key2>:<rowId>");
        }
        try {
            return new EvictionCursor(EvictionPolicy.fromId(parts[0]),
                    Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("eviction cursor '" + token + "' has a part that is not a whole number");
        }
    }
}
