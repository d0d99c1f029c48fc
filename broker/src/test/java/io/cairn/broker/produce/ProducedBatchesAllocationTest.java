package io.cairn.broker.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.partition.TestBatches;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchValidator;
import io.cairn.storage.TopicPartition;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The event-loop half of a produce (strict validation and the summary the writer needs) allocates
 * the same few objects for a batch of 2,000 records as for one of 2: nothing per record.
 */
class ProducedBatchesAllocationTest {
    private static final TopicPartition TP = new TopicPartition("alloc", 0);

    private static long allocatedPerScan(ByteBuffer batch, RecordBatchValidator validator, RecordBatch view) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                assertThat(ProducedBatches.scan(TP, batch, validator, view).error).isNull();
            }
            best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / 1000);
        }
        return best;
    }

    @Test
    void noAllocationPerRecord() {
        RecordBatchValidator validator = new RecordBatchValidator(1 << 24, RecordBatchValidator.DEFAULT_MAX_DECOMPRESSED_BYTES);
        RecordBatch view = new RecordBatch();
        ByteBuffer small = TestBatches.batch(2, 0);
        ByteBuffer large = TestBatches.batch(2000, 0);
        allocatedPerScan(large, validator, view); // warm up
        long perSmall = allocatedPerScan(small, validator, view);
        long perLarge = allocatedPerScan(large, validator, view);
        System.out.printf("produce scan allocation: %d bytes for 2 records, %d bytes for 2000 records%n", perSmall, perLarge);
        assertThat(perLarge).as("bytes allocated per scan of 2000 records").isLessThanOrEqualTo(perSmall + 64);
    }
}
