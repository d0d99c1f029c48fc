package io.cairn.storage;

import io.cairn.protocol.FileSlice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opening logs outside a manager, and reading them back whole. */
final class LogTestSupport {
    static final TopicPartition TP = new TopicPartition("orders.eu-west", 3);

    private LogTestSupport() {
    }

    static LogEnvironment env(MutableClock clock) {
        return new LogEnvironment(clock, FileChannelFactory.DEFAULT, null, (log, cause) -> { }, null, null);
    }

    static Log open(Path dataDir, LogConfig config, LogEnvironment env) {
        return Log.open(dataDir.resolve(TP.dirName()), TP, config, env, false, 0, 0);
    }

    /** Every batch from {@code from} to the end offset, read through {@link Log#read}. */
    static List<TestBatches.Batch> readAll(Log log, long from) throws IOException {
        List<TestBatches.Batch> all = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            LogReadResult r = log.read(next, 1 << 20, log.logEndOffset());
            if (!r.hasData()) {
                break;
            }
            FileSlice slice = r.slice();
            List<TestBatches.Batch> batches = TestBatches.batches(TestBatches.read(slice));
            all.addAll(batches);
            next = batches.get(batches.size() - 1).lastOffset() + 1;
        }
        return all;
    }
}
