package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory with 1,000 partitions, stopped uncleanly with torn tails, recovers whole. */
class ThousandPartitionRecoveryTest {
    @TempDir
    Path dataDir;

    private static final LogConfig CONFIG = LogConfig.builder().segmentBytes(16 * 1024).segmentIndexBytes(8 * 1024)
        .indexIntervalBytes(1024).build();

    /** Forces are no-ops while the directory is built: durability is not what this test is about. */
    private static final FileChannelFactory NO_FSYNC = (path, options) ->
        new ForwardingFileChannel(FileChannel.open(path, options), path) {
            @Override
            public void force(boolean metaData) {
            }
        };

    @Test
    void opensAndRecoversAThousandPartitions() throws IOException {
        Random random = new Random(1000);
        TestBatches batches = new TestBatches();
        LogManagerConfig.Builder config = LogManagerConfig.builder().defaultLogConfig(CONFIG).recoveryThreads(4);
        LogManager writer = LogManager.open(dataDir, config.channels(NO_FSYNC).build());
        Map<TopicPartition, List<TestBatches.Batch>> expected = new HashMap<>();
        for (int t = 0; t < 20; t++) {
            String topic = "events-" + t + ".v" + (t % 3);
            for (int p = 0; p < 50; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                Log log = writer.getOrCreateLog(tp, CONFIG);
                int count = 1 + random.nextInt(25);
                for (int i = 0; i < count; i++) {
                    log.append(batches.batch(random, 1 + random.nextInt(5), random.nextInt(300), i), 0);
                }
                if (random.nextBoolean()) {
                    log.flush();
                }
                expected.put(tp, LogTestSupport.readAll(log, 0));
            }
        }
        writer.checkpoint();
        // Crash: every third partition loses the last byte of its active segment.
        int torn = 0;
        for (Log log : writer.logs()) {
            LogSegment active = log.activeSegment();
            boolean tear = log.topicPartition().partition() % 3 == 0 && active.size() > 0
                && log.recoveryPoint() < log.logEndOffset();
            IndexChecks.crash(log);
            if (tear) {
                try (FileChannel ch = FileChannel.open(active.logFile(), StandardOpenOption.WRITE)) {
                    ch.truncate(active.size() - 1);
                }
                List<TestBatches.Batch> content = expected.get(log.topicPartition());
                expected.put(log.topicPartition(), content.subList(0, content.size() - 1));
                torn++;
            }
        }
        writer.halt();
        assertThat(torn).isGreaterThan(50);

        long start = System.nanoTime();
        LogManager recovered = LogManager.open(dataDir, config.channels(FileChannelFactory.DEFAULT).build());
        long openMs = (System.nanoTime() - start) / 1_000_000;
        try {
            assertThat(recovered.offlinePartitions()).isEmpty();
            assertThat(recovered.logs()).hasSize(1000);
            for (Map.Entry<TopicPartition, List<TestBatches.Batch>> e : expected.entrySet()) {
                Log log = recovered.log(e.getKey()).orElseThrow();
                List<TestBatches.Batch> want = e.getValue();
                long end = want.isEmpty() ? log.activeSegment().baseOffset() : want.get(want.size() - 1).lastOffset() + 1;
                assertThat(log.logEndOffset()).as("%s end offset", e.getKey()).isEqualTo(end);
                assertThat(LogTestSupport.readAll(log, 0)).as("%s content", e.getKey())
                    .usingRecursiveFieldByFieldElementComparator().isEqualTo(want);
            }
            System.out.printf("recovered 1000 partitions (%d torn) in %d ms%n", torn, openMs);
        } finally {
            recovered.close();
        }
    }
}
