package dev.bakecache.engine.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardRangeTest {

    @Test
    void partitionsCoverEveryShardExactlyOnceForAnyCount() {
        for (int count : List.of(1, 2, 3, 7, 16, 100, 256)) {
            List<Integer> covered = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                ShardRange.partition(index, count).shards().forEach(covered::add);
            }
            assertThat(covered).as("%d partitions", count).containsExactlyElementsOf(IntStream.range(0, 256).boxed().toList());
        }
    }

    @Test
    void parsesIndexSlashCountAndNamesItsShards() {
        ShardRange range = ShardRange.parse("1/4");
        assertThat(range).isEqualTo(new ShardRange(64, 128));
        assertThat(range).hasToString("shards 40-7f");
        assertThat(ShardRange.parse("0/1").isAll()).isTrue();
    }

    @Test
    void rejectsPartitionsThatDoNotExist() {
        assertThatThrownBy(() -> ShardRange.parse("4/4")).hasMessageContaining("between 0 and 3");
        assertThatThrownBy(() -> ShardRange.parse("0/0")).hasMessageContaining("between 1 and 256");
        assertThatThrownBy(() -> ShardRange.parse("three")).hasMessageContaining("INDEX/COUNT");
        assertThatThrownBy(() -> ShardRange.parse("1/x")).hasMessageContaining("INDEX/COUNT");
    }
}
