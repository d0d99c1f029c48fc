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

    static Log open(Path dataDir, LogConfig config) {
        return Log.open(dataDir.resolve(TP.dirName()), TP, config, env(), false, 0, 0);
    }

    /** One batch of {@code records} records whose values make it about {@code batchBytes} in total, in a direct buffer. */
    static ByteBuffer batch(int batchBytes, int records, long timestamp) {
        Random random = new Random(batchBytes * 31L + records);
        RecordBatchBuilder builder = new RecordBatchBuilder(batchBytes + 1024);
        int valueBytes = Math.max(0, (batchBytes - 61) / records - 20);
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[valueBytes];
            random.nextBytes(value);
            builder.append(timestamp + i, ("key-" + i).getBytes(), value);
        }
        ByteBuffer built = builder.build();
        ByteBuffer direct = ByteBuffer.allocateDirect(built.remaining());
        direct.put(built).flip();
        return direct;
    }
}
