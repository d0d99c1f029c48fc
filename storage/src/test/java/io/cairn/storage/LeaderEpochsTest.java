package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LeaderEpochsTest {
    private static final LeaderEpochs THREE = new LeaderEpochs(new int[] {0, 3, 7}, new long[] {0, 100, 250});

    @Test
    void eachOffsetBelongsToTheEpochThatBeganLastAtOrBeforeIt() {
        assertThat(THREE.latestEpoch()).isEqualTo(7);
        assertThat(THREE.slotFor(0)).isZero();
        assertThat(THREE.slotFor(99)).isZero();
        assertThat(THREE.slotFor(100)).isEqualTo(1);
        assertThat(THREE.slotFor(249)).isEqualTo(1);
        assertThat(THREE.slotFor(250)).isEqualTo(2);
        assertThat(THREE.slotFor(Long.MAX_VALUE)).isEqualTo(2);
        assertThat(THREE.endOf(0)).isEqualTo(100);
        assertThat(THREE.endOf(2)).isEqualTo(Long.MAX_VALUE);
        assertThat(THREE.expectedEpoch(1)).isEqualTo(3);
        LeaderEpochs late = new LeaderEpochs(new int[] {2}, new long[] {50});
        assertThat(late.slotFor(49)).isEqualTo(-1);
        assertThat(late.endOf(-1)).isEqualTo(50);
        // no epoch field value, however damaged, equals "no entry"
        assertThat(late.expectedEpoch(-1)).isLessThan(Integer.MIN_VALUE);
        assertThat(LeaderEpochs.EMPTY.latestEpoch()).isEqualTo(-1);
        assertThat(LeaderEpochs.EMPTY.slotFor(0)).isEqualTo(-1);
        assertThat(LeaderEpochs.EMPTY.endOf(-1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aNewEpochAppendsAnEntryAndReplacesOneWithoutBatches() {
        LeaderEpochs e = LeaderEpochs.EMPTY.withEpoch(0, 0);
        assertThat(e).hasToString("[0@0]");
        e = e.withEpoch(4, 10);
        assertThat(e).hasToString("[0@0, 4@10]");
        // epoch 4 got no batch before epoch 5 began at the same offset
        assertThat(e.withEpoch(5, 10)).hasToString("[0@0, 5@10]");
        assertThatThrownBy(() -> THREE.withEpoch(7, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> THREE.withEpoch(6, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> THREE.withEpoch(8, 200)).isInstanceOf(IllegalArgumentException.class);
        assertThat(THREE).hasToString("[0@0, 3@100, 7@250]");
    }

    @Test
    void truncationDropsTheEpochsThatBeganAtOrAfterTheNewEnd() {
        assertThat(THREE.truncatedTo(251)).isSameAs(THREE);
        assertThat(THREE.truncatedTo(250)).hasToString("[0@0, 3@100]");
        assertThat(THREE.truncatedTo(101)).hasToString("[0@0, 3@100]");
        assertThat(THREE.truncatedTo(100)).hasToString("[0@0]");
        assertThat(THREE.truncatedTo(0)).isEqualTo(LeaderEpochs.EMPTY);
    }

    @Test
    void entriesMustIncreaseAndNeverBeNegative() {
        assertThatThrownBy(() -> new LeaderEpochs(new int[] {0, 0}, new long[] {0, 5}))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeaderEpochs(new int[] {0, 1}, new long[] {5, 5}))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeaderEpochs(new int[] {2, 1}, new long[] {0, 5}))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeaderEpochs(new int[] {-1}, new long[] {0}))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeaderEpochs(new int[] {0}, new long[] {-1}))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeaderEpochs(new int[] {0}, new long[] {0, 1}))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMismatchNamesTheRuleBroken() {
        assertThat(THREE.mismatch(Integer.MIN_VALUE, 5)).contains("partitionLeaderEpoch=" + Integer.MIN_VALUE)
            .contains("baseOffset=5").contains("negative");
        assertThat(THREE.mismatch(8, 5)).contains("above the partition's latest epoch 7");
        assertThat(THREE.mismatch(0, 120)).contains("below epoch 3 which began at offset 100");
        assertThat(THREE.mismatch(7, 120)).contains("not epoch 3 of offsets [100, 250)");
        assertThat(THREE.mismatch(3, 300)).contains("below epoch 7");
        assertThat(LeaderEpochs.EMPTY.mismatch(0, 0)).contains("above the partition's latest epoch -1");
    }

    @Test
    void onlyAnEmptyBatchWithoutEpochIsExempt() {
        assertThat(LeaderEpochs.exempt(-1, 0)).isTrue();
        assertThat(LeaderEpochs.exempt(-1, 1)).isFalse();
        assertThat(LeaderEpochs.exempt(0, 0)).isFalse();
        assertThat(LeaderEpochs.exempt(Integer.MIN_VALUE, 0)).isFalse();
    }

    /** Oracle: a TreeMap from start offset to epoch, built by the same sequence of new epochs and truncations. */
    @Property(tries = 300)
    void agreesWithATreeMap(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 30) Integer> steps,
                            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 2000) Integer> probes) {
        LeaderEpochs epochs = LeaderEpochs.EMPTY;
        TreeMap<Long, Integer> oracle = new TreeMap<>();
        long end = 0;
        int epoch = 0;
        for (int step : steps) {
            if (step < 5 && end > 0) {
                end = end * step / 5;
                epochs = epochs.truncatedTo(end);
                oracle.tailMap(end, true).clear();
                // truncation may remove the latest epoch: the next one is still above what remains
            } else if (step < 15) {
                epoch += 1 + step % 3;
                epochs = epochs.withEpoch(epoch, end);
                oracle.put(end, epoch);
            } else {
                end += step;
            }
        }
        assertThat(epochs.size()).isEqualTo(oracle.size());
        assertThat(epochs.latestEpoch()).isEqualTo(oracle.isEmpty() ? -1 : oracle.lastEntry().getValue());
        for (int probe : probes) {
            Map.Entry<Long, Integer> floor = oracle.floorEntry((long) probe);
            int slot = epochs.slotFor(probe);
            assertThat(epochs.expectedEpoch(slot)).as("epoch at %d of %s", probe, epochs)
                .isEqualTo(floor == null ? LeaderEpochs.NO_EPOCH : (long) floor.getValue());
            Long higher = oracle.higherKey((long) probe);
            assertThat(epochs.endOf(slot)).isEqualTo(higher == null ? Long.MAX_VALUE : higher);
        }
    }
}
