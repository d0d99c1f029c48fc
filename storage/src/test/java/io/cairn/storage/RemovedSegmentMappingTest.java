package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment removed by retention gives back every memory mapping of its indexes once the delete
 * delay passed, including the preallocated mapping its roll replaced by a trimmed one: none of its
 * files may stay mapped (listed "(deleted)" in /proc/self/maps) until some later garbage collection.
 * Found by the soak (reliability scenario 17), where dozens of removed indexes stayed mapped.
 */
class RemovedSegmentMappingTest {
    private static final Path MAPS = Path.of("/proc/self/maps");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(17);
    private LogManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void removedSegmentsLeaveNoMappingOfTheirIndexesBehind() throws IOException {
        assumeThat(Files.isReadable(MAPS)).as("needs /proc/self/maps (Linux)").isTrue();
        LogConfig config = LogConfig.builder().segmentBytes(2048).indexIntervalBytes(256).segmentIndexBytes(4096)
            .retentionMs(-1).retentionBytes(4_096).fileDeleteDelayMs(Log.MIN_DELAY_FOR_UNMAP_MS).build();
        manager = LogManager.open(dataDir, LogManagerConfig.builder().clock(clock).defaultLogConfig(config)
            .retentionCheckIntervalMs(3_600_000).build());
        Log log = manager.getOrCreateLog(new TopicPartition("retained", 0), config);
        for (int i = 0; i < 80; i++) {
            log.append(batches.batch(random, 2, 60, clock.millis()), 0);
        }
        assertThat(log.segmentCount()).isGreaterThan(4);

        int removed = manager.retentionPass();
        assertThat(removed).isPositive();
        await("the removed segments' files deleted").atMost(Duration.ofSeconds(30))
            .until(() -> deletedFiles(log.dir()) == 0);

        assertThat(mappingsOfUnlinkedFiles(log.dir()))
            .as("mappings of the %d removed segments' files", removed).isEmpty();
    }

    private static long deletedFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(LogFileNames.DELETED_SUFFIX)).count();
        }
    }

    private static List<String> mappingsOfUnlinkedFiles(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().toString();
        try (Stream<String> lines = Files.lines(MAPS)) {
            return lines.filter(l -> l.contains(prefix) && l.endsWith("(deleted)")).toList();
        }
    }
}
