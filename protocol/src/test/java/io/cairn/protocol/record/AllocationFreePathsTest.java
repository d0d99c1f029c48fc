package io.cairn.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker's hot paths must not allocate per record. Measured with the JVM's per-thread
 * allocation counter: a path that allocated even one small object per record would show
 * thousands of bytes over these 2,000-record batches; the bound leaves room only for noise.
 */
class AllocationFreePathsTest {
    private static final int RECORDS = 2_000;
    private static final long NOISE_BYTES = 1024;
    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void allocationCounter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM without per-thread allocation counters");
        threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting disabled");
    }

    private static final int WARM_UP_RUNS = 5;
    private static final int MEASURED_RUNS = 5;

    /**
     * Fewest bytes the current thread allocated in one run, over several runs. One-off events
     * (a deoptimisation, a class initialised late on a loaded machine) allocate in some runs only;
     * a per-record allocation shows in every run, so the minimum separates the two.
     */
    private static long allocated(Runnable action) {
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            action.run(); // class loading, buffer growth, JIT
        }
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < MEASURED_RUNS; i++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            action.run();
            fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return fewest;
    }

    private static final Header[] HEADERS = {new Header("trace", "abc".getBytes(StandardCharsets.UTF_8))};
    private static final byte[] KEY = "key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = new byte[64];

    private static ByteBuffer batches(int count) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        ByteBuffer[] parts = new ByteBuffer[count];
        for (int b = 0; b < count; b++) {
            builder.reset().producer(1, (short) 0, b * RECORDS);
            for (int i = 0; i < RECORDS; i++) {
                builder.append(1_000 + i, KEY, VALUE, HEADERS);
            }
            parts[b] = TestBatches.copy(builder.build());
        }
        return TestBatches.concat(parts);
    }

    @Test
    void iteratingAnUncompressedBatchAllocatesNothingPerRecord() {
        ByteBuffer buffer = batches(1);
        RecordBatch batch = new RecordBatch();
        long[] sum = new long[1];
        long bytes = allocated(() -> {
            RecordCursor records = batch.wrap(buffer, 0).records();
            while (records.hasNext()) {
                Record r = records.next();
                sum[0] += r.offset() + r.valueLength() + r.timestamp();
                HeaderCursor h = r.headers();
                while (h.next()) {
                    sum[0] += h.valueLength();
                }
            }
        });
        assertThat(sum[0]).isPositive();
        assertThat(bytes).as("bytes allocated iterating %d records", RECORDS).isLessThan(NOISE_BYTES);
    }

    @Test
    void validatingUncompressedProduceBatchesAllocatesNothingPerRecord() {
        ByteBuffer buffer = batches(8);
        RecordBatchValidator validator = new RecordBatchValidator(1 << 20, 1 << 20);
        RecordBatch batch = new RecordBatch();
        long bytes = allocated(() -> {
            ValidationSummary summary = validator.validateProduce(buffer, 0, buffer.limit());
            long next = 0;
            for (int i = 0; i < summary.batchCount(); i++) {
                batch.wrap(buffer, summary.batchPosition(i)).setBaseOffset(next);
                next += summary.batchLastOffsetDelta(i) + 1;
            }
        });
        assertThat(bytes).as("bytes allocated validating %d records", 8 * RECORDS).isLessThan(NOISE_BYTES);
    }

    @Test
    void appendingUncompressedRecordsAllocatesNothingPerRecord() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        ByteBuffer key = ByteBuffer.wrap(KEY);
        ByteBuffer value = ByteBuffer.allocateDirect(VALUE.length);
        long bytes = allocated(() -> {
            builder.reset();
            for (int i = 0; i < RECORDS; i++) {
                builder.append(1_000 + i, key, value, HEADERS);
            }
        });
        assertThat(bytes).as("bytes allocated appending %d records", RECORDS).isLessThan(NOISE_BYTES);
    }

    @Test
    void walkingBatchesAllocatesNothing() {
        ByteBuffer buffer = batches(8);
        RecordBatches walk = new RecordBatches();
        long[] crcs = new long[1];
        long bytes = allocated(() -> {
            walk.reset(buffer, 0, buffer.limit());
            while (walk.hasNext()) {
                RecordBatch b = walk.next();
                crcs[0] += b.isCrcValid() ? 1 : 0;
            }
        });
        assertThat(crcs[0]).isEqualTo((WARM_UP_RUNS + MEASURED_RUNS) * 8L);
        assertThat(bytes).isLessThan(NOISE_BYTES);
    }
}
