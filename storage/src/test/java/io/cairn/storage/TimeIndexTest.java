package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

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

class TimeIndexTest {
    private static final long BASE = 500;

    @TempDir
    Path dir;

    @Property(tries = 60)
    void scanStartIsLastEntryStrictlyBelowTarget(
        @ForAll @Size(max = 2000) List<@IntRange(min = 0, max = 30) Integer> tsGaps,
        @ForAll @Size(max = 2000) List<@IntRange(min = 0, max = 5) Integer> offsetGaps) throws IOException {
        Path file = Files.createTempFile("idx", ".timeindex");
        Files.delete(file);
        TimeIndex index = new TimeIndex(file, BASE, 64 * 1024, FileChannelFactory.DEFAULT);
        TreeMap<Long, Long> oracle = new TreeMap<>();
        long ts = 1_000_000;
        long offset = BASE;
        for (int i = 0; i < Math.min(tsGaps.size(), offsetGaps.size()); i++) {
            ts += tsGaps.get(i);
            offset += offsetGaps.get(i);
            boolean accepted = oracle.isEmpty() || ts > oracle.lastKey();
            index.maybeAppend(ts, offset, false);
            if (accepted) {
                oracle.put(ts, offset);
            }
        }
        assertThat(index.entries()).isEqualTo(oracle.size());
        for (long target = 999_990; target <= ts + 5; target += 3) {
            Map.Entry<Long, Long> below = oracle.lowerEntry(target);
            assertThat(index.scanStartOffset(target)).as("target %d", target)
                .isEqualTo(below == null ? BASE : below.getValue());
        }
        assertThat(index.sanityCheck(1)).isNull();
        Files.deleteIfExists(file);
    }

    @Test
    void lastSlotIsReservedForSealing() throws IOException {
        TimeIndex index = new TimeIndex(dir.resolve("00000000000000000500.timeindex"), BASE, 36, FileChannelFactory.DEFAULT);
        index.maybeAppend(10, BASE + 1, false);
        index.maybeAppend(20, BASE + 2, false);
        assertThat(index.isFull()).isTrue();
        index.maybeAppend(30, BASE + 3, false);
        assertThat(index.entries()).isEqualTo(2);
        index.maybeAppend(30, BASE + 3, true);
        assertThat(index.entries()).isEqualTo(3);
        assertThat(index.lastTimestamp()).isEqualTo(30);
    }

    @Test
    void truncateToOffsetKeepsEarlierEntries() throws IOException {
        TimeIndex index = new TimeIndex(dir.resolve("00000000000000000500.timeindex"), BASE, 1200, FileChannelFactory.DEFAULT);
        for (int i = 1; i <= 10; i++) {
            index.maybeAppend(i * 100L, BASE + i * 10L, false);
        }
        index.truncateToOffset(BASE + 55);
        assertThat(index.entries()).isEqualTo(5);
        assertThat(index.lastOffset()).isEqualTo(BASE + 50);
        assertThat(index.lastTimestamp()).isEqualTo(500);
    }
}
