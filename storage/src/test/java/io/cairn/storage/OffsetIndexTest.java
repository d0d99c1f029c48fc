package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {
    private static final long BASE = 1_000;

    @TempDir
    Path dir;

    /** Builds an index from increasing gaps; returns the oracle offset -> position. */
    private static TreeMap<Long, Integer> fill(OffsetIndex index, List<Integer> offsetGaps, List<Integer> positionGaps) {
        TreeMap<Long, Integer> oracle = new TreeMap<>();
        long offset = BASE;
        int position = 0;
        for (int i = 0; i < Math.min(offsetGaps.size(), positionGaps.size()); i++) {
            offset += offsetGaps.get(i);
            position += positionGaps.get(i);
            index.append(offset, position);
            oracle.put(offset, position);
        }
        return oracle;
    }

    @Property(tries = 60)
    void floorLookupMatchesTreeMap(@ForAll @Size(max = 3000) List<@IntRange(min = 1, max = 50) Integer> offsetGaps,
                                   @ForAll @Size(max = 3000) List<@IntRange(min = 1, max = 9000) Integer> positionGaps,
                                   @ForAll @IntRange(min = 0, max = 200) int probeSeed) throws IOException {
        Path file = Files.createTempFile("idx", ".index");
        Files.delete(file);
        OffsetIndex index = new OffsetIndex(file, BASE, 64 * 1024, FileChannelFactory.DEFAULT);
        TreeMap<Long, Integer> oracle = fill(index, offsetGaps, positionGaps);
        long maxOffset = oracle.isEmpty() ? BASE + 10 : oracle.lastKey() + 10;
        for (long target = BASE; target <= maxOffset; target += 1 + probeSeed) {
            Map.Entry<Long, Integer> floor = oracle.floorEntry(target);
            assertThat(index.floorPosition(target)).as("floor of %d", target).isEqualTo(floor == null ? 0 : floor.getValue());
        }
        TreeMap<Integer, Integer> byPosition = new TreeMap<>();
        oracle.values().forEach(p -> byPosition.put(p, p));
        int maxPosition = byPosition.isEmpty() ? 100 : byPosition.lastKey() + 100;
        for (int p = 0; p <= maxPosition; p += 97 + probeSeed) {
            Map.Entry<Integer, Integer> floor = byPosition.floorEntry(p);
            assertThat(index.floorPositionByPosition(p)).isEqualTo(floor == null ? 0 : floor.getValue());
        }
        assertThat(index.sanityCheck(Integer.MAX_VALUE)).isNull();
        Files.deleteIfExists(file);
    }

    @Property(tries = 30)
    void truncateToPositionDropsLaterEntries(@ForAll @Size(min = 1, max = 500) List<@IntRange(min = 1, max = 9) Integer> gaps,
                                             @ForAll @IntRange(min = 0, max = 5000) int cut) throws IOException {
        Path file = Files.createTempFile("idx", ".index");
        Files.delete(file);
        OffsetIndex index = new OffsetIndex(file, BASE, 64 * 1024, FileChannelFactory.DEFAULT);
        TreeMap<Long, Integer> oracle = fill(index, gaps, gaps);
        index.truncateToPosition(cut);
        oracle.values().removeIf(p -> p >= cut);
        assertThat(index.entries()).isEqualTo(oracle.size());
        for (long target = BASE; target < BASE + 5000; target += 7) {
            Map.Entry<Long, Integer> floor = oracle.floorEntry(target);
            assertThat(index.floorPosition(target)).isEqualTo(floor == null ? 0 : floor.getValue());
        }
        Files.deleteIfExists(file);
    }

    @Test
    void trimmedIndexReopensWithItsEntries() throws IOException {
        Path file = dir.resolve("00000000000000001000.index");
        OffsetIndex index = new OffsetIndex(file, BASE, 4096, FileChannelFactory.DEFAULT);
        assertThat(Files.size(file)).isEqualTo(4096);
        for (int i = 1; i <= 10; i++) {
            index.append(BASE + i * 10, i * 100);
        }
        index.trimToValidSize();
        assertThat(Files.size(file)).isEqualTo(80);
        OffsetIndex reopened = new OffsetIndex(file, BASE, 0, FileChannelFactory.DEFAULT);
        assertThat(reopened.entries()).isEqualTo(10);
        assertThat(reopened.lastOffset()).isEqualTo(BASE + 100);
        assertThat(reopened.floorPosition(BASE + 55)).isEqualTo(500);
        assertThat(reopened.sanityCheck(1001)).isNull();
        assertThat(reopened.sanityCheck(1000)).contains("out of log range");
    }

    @Test
    void untrimmedIndexAfterCrashFailsSanityCheck() throws IOException {
        Path file = dir.resolve("00000000000000001000.index");
        OffsetIndex index = new OffsetIndex(file, BASE, 4096, FileChannelFactory.DEFAULT);
        index.append(BASE + 5, 100);
        index.append(BASE + 9, 300);
        // No trim: a crash leaves the preallocated zeros, which reopen as entries.
        OffsetIndex reopened = new OffsetIndex(file, BASE, 0, FileChannelFactory.DEFAULT);
        assertThat(reopened.entries()).isEqualTo(512);
        assertThat(reopened.sanityCheck(10_000)).contains("not increasing");
    }

    @Test
    void fullIndexRefusesAppendsAndRejectsDisorder() throws IOException {
        OffsetIndex index = new OffsetIndex(dir.resolve("00000000000000001000.index"), BASE, 16, FileChannelFactory.DEFAULT);
        index.append(BASE + 1, 10);
        assertThatThrownBy(() -> index.append(BASE + 1, 20)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not after last entry");
        index.append(BASE + 2, 20);
        assertThat(index.isFull()).isTrue();
        assertThatThrownBy(() -> index.append(BASE + 3, 30)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("full");
        assertThatThrownBy(() -> index.append(BASE, 40)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void relativeOffsetMustFitAndBePositive() throws IOException {
        OffsetIndex index = new OffsetIndex(dir.resolve("00000000000000001000.index"), BASE, 64, FileChannelFactory.DEFAULT);
        assertThatThrownBy(() -> index.append(BASE, 10)).hasMessageContaining("cannot be indexed");
        assertThatThrownBy(() -> index.append(BASE + Integer.MAX_VALUE + 1L, 10)).hasMessageContaining("cannot be indexed");
    }
}
