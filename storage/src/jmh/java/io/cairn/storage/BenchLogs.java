package io.cairn.storage;

import io.cairn.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

/** Shared set-up of the storage benchmarks: logs in a temp directory, batches of a given size. */
final class BenchLogs {
    static final TopicPartition TP = new TopicPartition("bench", 0);

    private BenchLogs() {
    }

    static LogEnvironment env() {
        return new LogEnvironment(Clock.systemUTC(), FileChannelFactory.DEFAULT, null, (log, cause) -> { }, null, null);
    }

    static Path tempDir() throws IOException {
        String base = System.getProperty("bench.dir");
        return base == null ? Files.createTempDirectory("cairn-bench") : Files.createTempDirectory(Path.of(base), "cairn-bench");
    }

    /**
     * After deleting a large log, optionally {@code sync} and wait {@code bench.settle.ms} (default 0:
     * iterations run back to back, as the dd runs they are compared with). On a VM that hands freed
     * memory back to its host (free page reporting), a pause makes the next write pay for faulting
     * its page cache memory in again.
     */
    static void settle() throws IOException, InterruptedException {
        long ms = Long.getLong("bench.settle.ms", 0);
        if (ms > 0) {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
            Thread.sleep(ms);
        }
    }

    static Log open(Path dataDir, LogConfig config) {
        return Log.open(dataDir.resolve(TP.dirName()), TP, config, env(), false, 0, 0);
    }

    /**
     * One batch of exactly {@code batchBytes} bytes holding {@code records} records (random values,
     * the last one sized to hit the target), in a direct buffer, as a network layer would pass it.
     */
    static ByteBuffer batch(int batchBytes, int records, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder(batchBytes + 1024);
        int valueBytes = Math.max(0, (batchBytes - 61) / records - 20);
        int lastValueBytes = valueBytes;
        for (int attempt = 0; attempt < 64; attempt++) {
            ByteBuffer built = build(builder, records, valueBytes, lastValueBytes, timestamp);
            int diff = batchBytes - built.remaining();
            if (diff == 0) {
                ByteBuffer direct = ByteBuffer.allocateDirect(built.remaining());
                direct.put(built).flip();
                return direct;
            }
            lastValueBytes = Math.max(0, lastValueBytes + (Math.abs(diff) > 2 ? diff : Integer.signum(diff)));
        }
        throw new IllegalStateException("cannot build a batch of exactly " + batchBytes + " bytes");
    }

    private static ByteBuffer build(RecordBatchBuilder builder, int records, int valueBytes, int lastValueBytes,
                                    long timestamp) {
        Random random = new Random(records);
        builder.reset();
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[i == records - 1 ? lastValueBytes : valueBytes];
            random.nextBytes(value);
            builder.append(timestamp + i, ("key-" + i).getBytes(), value);
        }
        return builder.build();
    }
}
