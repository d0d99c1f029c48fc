package io.cairn.broker.produce;

import static io.cairn.broker.partition.TestBatches.batch;
import static io.cairn.broker.partition.TestBatches.direct;
import static io.cairn.broker.partition.TestBatches.idempotent;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.partition.DataPathMetrics;
import io.cairn.broker.partition.FileTestLog;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.broker.partition.PartitionRegistry;
import io.cairn.broker.partition.PartitionWriters;
import io.cairn.broker.producer.MemoryProducerStateStore;
import io.cairn.broker.producer.ProducerStateEntry;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.storage.TopicPartition;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendServiceTest {
    private static final TopicPartition TP = new TopicPartition("orders", 2);

    @TempDir
    Path dir;
    private FileTestLog log;
    private PartitionWriters writers;
    private MemoryProducerStateStore store;
    private AppendService service;
    private ExecutorService loop;
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong recordsIn = new AtomicLong();

    @BeforeEach
    void setUp() {
        log = new FileTestLog(dir, TP);
        writers = new PartitionWriters(2);
        store = new MemoryProducerStateStore();
        service = newService(log, store);
        loop = Executors.newSingleThreadExecutor();
    }

    private AppendService newService(FileTestLog partitionLog, MemoryProducerStateStore producerStore) {
        PartitionRegistry registry = new PartitionRegistry(tp -> tp.equals(TP) ? partitionLog : null, writers,
                producerStore);
        return new AppendService(registry, new DataPathMetrics() {
            @Override
            public void appended(String topic, long bytes, long records) {
                bytesIn.addAndGet(bytes);
                recordsIn.addAndGet(records);
            }
        }, System::currentTimeMillis);
    }

    @AfterEach
    void tearDown() {
        writers.close();
        loop.shutdownNow();
    }

    private CompletableFuture<AppendResult> submit(AppendService s, TopicPartition tp, ByteBuf records, Acks acks) {
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        s.append(tp, records, acks, loop, result::complete);
        return result;
    }

    private AppendResult append(ByteBuf records, Acks acks) throws Exception {
        return submit(service, TP, records, acks).get(5, TimeUnit.SECONDS);
    }

    @Test
    void appendsAssignOffsetsAndStoreTheBytesAsSent() throws Exception {
        List<ByteBuffer> sent = List.of(batch(3, 1000), batch(2, 2000), batch(4, 3000));
        List<ByteBuf> buffers = new ArrayList<>();
        List<Long> bases = new ArrayList<>();
        for (ByteBuffer b : sent) {
            ByteBuf buf = direct(b);
            buffers.add(buf);
            bases.add(append(buf, Acks.LEADER).baseOffset());
        }
        assertThat(bases).containsExactly(0L, 3L, 5L);
        assertThat(buffers).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        assertThat(log.logEndOffset()).isEqualTo(9);
        assertThat(log.highWatermark()).isEqualTo(9);
        assertThat(recordsIn.get()).isEqualTo(9);

        ByteBuffer file = ByteBuffer.allocate((int) log.sizeInBytes());
        log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).slice().channel().read(file, 0);
        file.flip();
        int position = 0;
        for (int i = 0; i < sent.size(); i++) {
            ByteBuffer expected = sent.get(i);
            RecordBatch stored = new RecordBatch(file, position);
            assertThat(stored.baseOffset()).isEqualTo(bases.get(i));
            assertThat(stored.isCrcValid()).isTrue();
            // every byte after the broker-assigned baseOffset is exactly what the producer sent
            assertThat(file.slice(position + 8, expected.remaining() - 8))
                    .isEqualTo(expected.slice(8, expected.remaining() - 8));
            position += expected.remaining();
        }
        assertThat(bytesIn.get()).isEqualTo(position);
    }

    @Test
    void unknownPartitionIsRejectedAndTheBufferReleased() throws Exception {
        ByteBuf buf = direct(batch(1, 0));
        AppendResult result = submit(service, new TopicPartition("orders", 9), buf, Acks.LEADER).get(5, TimeUnit.SECONDS);
        assertThat(result.error()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(result.message()).contains("orders", "9");
        assertThat(buf.refCnt()).isZero();
    }

    @Test
    void badCrcIsCorruptAndNothingIsStored() throws Exception {
        ByteBuffer corrupt = batch(3, 0);
        int lastByte = corrupt.limit() - 1;
        corrupt.put(lastByte, (byte) (corrupt.get(lastByte) ^ 0x5a));
        ByteBuf buf = direct(batch(1, 0), corrupt);
        AppendResult result = append(buf, Acks.ALL);
        assertThat(result.error()).isEqualTo(ErrorCode.CORRUPT_MESSAGE);
        assertThat(result.message()).contains("orders-2", "batch 1", "crc");
        assertThat(buf.refCnt()).isZero();
        assertThat(log.sizeInBytes()).isZero();
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void batchOverMaxMessageBytesIsTooLarge() throws Exception {
        log.maxMessageBytes(200);
        ByteBuf buf = direct(batch(50, 0));
        AppendResult result = append(buf, Acks.LEADER);
        assertThat(result.error()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
        assertThat(result.message()).contains("orders-2", "200");
        assertThat(log.sizeInBytes()).isZero();
    }

    @Test
    void truncatedBatchIsCorrupt() throws Exception {
        ByteBuffer whole = batch(3, 0);
        ByteBuf buf = direct(whole.slice(0, whole.remaining() - 5));
        AppendResult result = append(buf, Acks.LEADER);
        assertThat(result.error()).isEqualTo(ErrorCode.CORRUPT_MESSAGE);
        assertThat(buf.refCnt()).isZero();
        assertThat(log.sizeInBytes()).isZero();
    }

    @Test
    void acksAllIsAnsweredOnlyAfterTheFlushCoversTheBatch() throws Exception {
        CompletableFuture<AppendResult> result = submit(service, TP, direct(batch(2, 0)), Acks.ALL);
        org.awaitility.Awaitility.await("produce waiting for flush").atMost(5, TimeUnit.SECONDS)
                .until(() -> log.flushWaiterCount() == 1);
        assertThat(result).isNotDone();
        assertThat(service.waitingForFlush()).isEqualTo(1);
        log.flush();
        assertThat(result.get(5, TimeUnit.SECONDS).baseOffset()).isZero();
        assertThat(service.waitingForFlush()).isZero();
    }

    @Test
    void acksNoneStillReportsTheOutcome() throws Exception {
        assertThat(append(direct(batch(2, 0)), Acks.NONE).isSuccess()).isTrue();
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void appendsFromOneThreadKeepTheirOrder() throws Exception {
        List<CompletableFuture<AppendResult>> results = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            results.add(submit(service, TP, direct(batch(1 + i % 3, i)), Acks.LEADER));
        }
        long expected = 0;
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get(5, TimeUnit.SECONDS).baseOffset()).as("append %d", i).isEqualTo(expected);
            expected += 1 + i % 3;
        }
    }

    @Test
    void duplicateIsAnsweredWithTheOriginalOffsetAndNotAppended() throws Exception {
        log.autoFlush(true);
        append(direct(batch(4, 0)), Acks.LEADER);
        ByteBuffer first = idempotent(7, (short) 0, 0, 3, 0);
        assertThat(append(direct(first), Acks.LEADER).baseOffset()).isEqualTo(4);
        long size = log.sizeInBytes();
        AppendResult again = append(direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.ALL);
        assertThat(again.isSuccess()).isTrue();
        assertThat(again.baseOffset()).isEqualTo(4);
        assertThat(log.sizeInBytes()).isEqualTo(size);
        assertThat(log.appendCount()).isEqualTo(2);
    }

    @Test
    void sequenceGapIsOutOfOrderAndNotAppended() throws Exception {
        append(direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.LEADER);
        AppendResult gap = append(direct(idempotent(7, (short) 0, 5, 1, 0)), Acks.LEADER);
        assertThat(gap.error()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(gap.message()).contains("orders-2", "expected sequence 3");
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void staleEpochIsFenced() throws Exception {
        append(direct(idempotent(7, (short) 3, 0, 1, 0)), Acks.LEADER);
        AppendResult stale = append(direct(idempotent(7, (short) 2, 1, 1, 0)), Acks.LEADER);
        assertThat(stale.error()).isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void consecutiveBatchesOfOneProducerAreAppendedTogetherAndDeduplicatedBatchByBatch() throws Exception {
        log.autoFlush(true);
        append(direct(batch(4, 0)), Acks.LEADER);
        ByteBuf request = direct(idempotent(7, (short) 0, 0, 3, 0), idempotent(7, (short) 0, 3, 2, 0),
                idempotent(7, (short) 0, 5, 4, 0));
        AppendResult first = append(request, Acks.ALL);
        assertThat(first.isSuccess()).isTrue();
        assertThat(first.baseOffset()).isEqualTo(4);
        assertThat(request.refCnt()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(13);
        assertThat(log.appendCount()).isEqualTo(2);
        assertThat(recordsIn.get()).isEqualTo(13);
        long size = log.sizeInBytes();

        // the whole request again (a lost response), and each batch alone: all duplicates, original offsets
        assertThat(append(direct(idempotent(7, (short) 0, 0, 3, 0), idempotent(7, (short) 0, 3, 2, 0),
                idempotent(7, (short) 0, 5, 4, 0)), Acks.ALL).baseOffset()).isEqualTo(4);
        assertThat(append(direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.ALL).baseOffset()).isEqualTo(4);
        assertThat(append(direct(idempotent(7, (short) 0, 3, 2, 0)), Acks.ALL).baseOffset()).isEqualTo(7);
        assertThat(append(direct(idempotent(7, (short) 0, 5, 4, 0)), Acks.LEADER).baseOffset()).isEqualTo(9);
        assertThat(append(direct(idempotent(7, (short) 0, 3, 2, 0), idempotent(7, (short) 0, 5, 4, 0)),
                Acks.LEADER).baseOffset()).isEqualTo(7);
        assertThat(log.sizeInBytes()).isEqualTo(size);
        assertThat(log.appendCount()).isEqualTo(2);

        // a batch that straddles the remembered range is neither a duplicate nor next in sequence
        assertThat(append(direct(idempotent(7, (short) 0, 8, 2, 0)), Acks.LEADER).error())
                .isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(append(direct(idempotent(7, (short) 0, 9, 1, 0)), Acks.LEADER).baseOffset()).isEqualTo(13);
    }

    @Test
    void leadingDuplicatesAreSkippedAndTheRestAppendedOnce() throws Exception {
        append(direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.LEADER);
        AppendResult mixed = append(direct(idempotent(7, (short) 0, 0, 3, 0), idempotent(7, (short) 0, 3, 2, 0),
                idempotent(7, (short) 0, 5, 1, 0)), Acks.LEADER);
        assertThat(mixed.isSuccess()).isTrue();
        assertThat(mixed.baseOffset()).isZero(); // the first batch's original offset; the new ones follow it
        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(log.appendCount()).isEqualTo(2);
        assertThat(recordsIn.get()).isEqualTo(3 + 3);
        assertThat(append(direct(idempotent(7, (short) 0, 3, 2, 0)), Acks.LEADER).baseOffset()).isEqualTo(3);
        assertThat(append(direct(idempotent(7, (short) 0, 5, 1, 0)), Acks.LEADER).baseOffset()).isEqualTo(5);
        assertThat(log.logEndOffset()).isEqualTo(6);
    }

    @Test
    void newBatchesThatWouldNotFollowTheirDuplicatesAreRefusedWithoutAppending() throws Exception {
        append(direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.LEADER);
        append(direct(batch(2, 0)), Acks.LEADER); // another producer's batch in between
        AppendResult mixed = append(direct(idempotent(7, (short) 0, 0, 3, 0), idempotent(7, (short) 0, 3, 2, 0)),
                Acks.LEADER);
        // appended at 5, the new batch would be reported at 3 (0 + the duplicate's 3 records)
        assertThat(mixed.error()).isEqualTo(ErrorCode.INVALID_RECORD);
        assertThat(mixed.message()).contains("orders-2", "offsets 0..2", "log ends at 5", "request of their own");
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(append(direct(idempotent(7, (short) 0, 3, 2, 0)), Acks.LEADER).baseOffset()).isEqualTo(5);
    }

    @Test
    void aDuplicateFollowedByABatchOutOfSequenceAppendsNothing() throws Exception {
        append(direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.LEADER);
        append(direct(idempotent(7, (short) 0, 3, 2, 0)), Acks.LEADER);
        AppendResult result = append(direct(idempotent(7, (short) 0, 0, 3, 0), idempotent(7, (short) 0, 3, 3, 0)),
                Acks.LEADER);
        assertThat(result.error()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(result.message()).contains("orders-2", "expected sequence 5", "3..5");
        assertThat(log.logEndOffset()).isEqualTo(5);
    }

    @Test
    void fencedEpochRejectsEveryBatchOfTheRequest() throws Exception {
        append(direct(idempotent(7, (short) 3, 0, 1, 0)), Acks.LEADER);
        AppendResult stale = append(direct(idempotent(7, (short) 2, 1, 1, 0), idempotent(7, (short) 2, 2, 1, 0)),
                Acks.LEADER);
        assertThat(stale.error()).isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void batchesWithAGapOrOfDifferentProducersInOneRequestAreInvalid() throws Exception {
        AppendResult gap = append(direct(idempotent(7, (short) 0, 0, 2, 0), idempotent(7, (short) 0, 3, 1, 0)),
                Acks.LEADER);
        assertThat(gap.error()).isEqualTo(ErrorCode.INVALID_RECORD);
        assertThat(gap.message()).contains("orders-2", "batch 1 of 2", "starts at sequence 3", "ends at 1");
        AppendResult twoProducers = append(direct(idempotent(7, (short) 0, 0, 1, 0),
                idempotent(8, (short) 0, 1, 1, 0)), Acks.LEADER);
        assertThat(twoProducers.error()).isEqualTo(ErrorCode.INVALID_RECORD);
        assertThat(twoProducers.message()).contains("producerId=8");
        AppendResult mixedWithPlain = append(direct(batch(1, 0), idempotent(7, (short) 0, 0, 1, 0)), Acks.LEADER);
        assertThat(mixedWithPlain.error()).isEqualTo(ErrorCode.INVALID_RECORD);
        AppendResult twoEpochs = append(direct(idempotent(7, (short) 0, 0, 1, 0), idempotent(7, (short) 1, 1, 1, 0)),
                Acks.LEADER);
        assertThat(twoEpochs.error()).isEqualTo(ErrorCode.INVALID_RECORD);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void fiveRequestsOfSeveralBatchesAreAllRememberedAlsoAfterARestartWithoutSnapshot() throws Exception {
        int sequence = 0;
        for (int request = 0; request < ProducerStateEntry.MAX_BATCHES; request++) {
            ByteBuffer[] batches = new ByteBuffer[4];
            for (int i = 0; i < batches.length; i++) {
                batches[i] = idempotent(7, (short) 0, sequence, 2, 0);
                sequence += 2;
            }
            append(direct(batches), Acks.LEADER);
            append(direct(batch(1, 0)), Acks.LEADER); // another producer in between: entries stay apart
        }
        AppendService restarted = newService(log, new MemoryProducerStateStore());
        for (AppendService s : List.of(service, restarted)) {
            for (int seq = 0; seq < sequence; seq += 2) {
                int request = seq / 8;
                long expected = request * 9L + seq % 8;
                AppendResult retry = submit(s, TP, direct(idempotent(7, (short) 0, seq, 2, 0)), Acks.LEADER)
                        .get(5, TimeUnit.SECONDS);
                assertThat(retry.isSuccess()).as("retry of sequence %d", seq).isTrue();
                assertThat(retry.baseOffset()).as("retry of sequence %d", seq).isEqualTo(expected);
            }
        }
        assertThat(log.logEndOffset()).isEqualTo(ProducerStateEntry.MAX_BATCHES * 9L);
    }

    @Test
    void producerStateIsRebuiltFromTheLogWithoutASnapshot() throws Exception {
        append(direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.LEADER);
        append(direct(idempotent(7, (short) 0, 3, 2, 0)), Acks.LEADER);
        AppendService restarted = newService(log, new MemoryProducerStateStore());
        AppendResult duplicate = submit(restarted, TP, direct(idempotent(7, (short) 0, 3, 2, 0)), Acks.LEADER)
                .get(5, TimeUnit.SECONDS);
        assertThat(duplicate.baseOffset()).isEqualTo(3);
        assertThat(log.appendCount()).isEqualTo(2);
        AppendResult gap = submit(restarted, TP, direct(idempotent(7, (short) 0, 9, 1, 0)), Acks.LEADER)
                .get(5, TimeUnit.SECONDS);
        assertThat(gap.error()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void producerStateIsRebuiltFromSnapshotPlusTail() throws Exception {
        PartitionRegistry registry = new PartitionRegistry(tp -> log, writers, store);
        AppendService s = new AppendService(registry, DataPathMetrics.NONE, System::currentTimeMillis);
        submit(s, TP, direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.LEADER).get(5, TimeUnit.SECONDS);
        registry.checkpointProducerState(System.currentTimeMillis(), Long.MAX_VALUE).get(5, TimeUnit.SECONDS);
        assertThat(store.load("orders", 2).logOffset()).isEqualTo(3);
        submit(s, TP, direct(idempotent(8, (short) 0, 0, 1, 0)), Acks.LEADER).get(5, TimeUnit.SECONDS);

        AppendService restarted = newService(log, store);
        assertThat(submit(restarted, TP, direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.LEADER)
                .get(5, TimeUnit.SECONDS).baseOffset()).isZero();
        assertThat(submit(restarted, TP, direct(idempotent(8, (short) 0, 0, 1, 0)), Acks.LEADER)
                .get(5, TimeUnit.SECONDS).baseOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(4);
    }

    @Test
    void damagedSnapshotFallsBackToAFullReplay() throws Exception {
        append(direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.LEADER);
        MemoryProducerStateStore damaged = new MemoryProducerStateStore() {
            @Override
            public io.cairn.broker.producer.ProducerStateSnapshot load(String topic, int partition) {
                throw new IllegalStateException("producer state snapshot of " + topic + "-" + partition + " is truncated");
            }
        };
        AppendService restarted = newService(log, damaged);
        AppendResult duplicate = submit(restarted, TP, direct(idempotent(7, (short) 0, 0, 3, 0)), Acks.LEADER)
                .get(5, TimeUnit.SECONDS);
        assertThat(duplicate.isSuccess()).isTrue();
        assertThat(duplicate.baseOffset()).isZero();
        assertThat(log.appendCount()).isEqualTo(1);
    }

    @Test
    void logAppendTimeTopicsGetTheBrokerTimeStampedWithAValidCrc() throws Exception {
        log.logAppendTime(true);
        long before = System.currentTimeMillis();
        AppendResult result = append(direct(batch(3, 5)), Acks.LEADER);
        assertThat(result.logAppendTimeMs()).isBetween(before, System.currentTimeMillis());
        ByteBuffer file = ByteBuffer.allocate((int) log.sizeInBytes());
        log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).slice().channel().read(file, 0);
        RecordBatch stored = new RecordBatch(file.flip(), 0);
        assertThat(stored.timestampType()).isEqualTo(io.cairn.protocol.record.TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(result.logAppendTimeMs());
        assertThat(stored.isCrcValid()).isTrue();
    }

    @Test
    void aDeletedPartitionLosesItsStoredSnapshotAtTheNextCheckpoint() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean exists = new java.util.concurrent.atomic.AtomicBoolean(true);
        PartitionRegistry registry = new PartitionRegistry(tp -> exists.get() && tp.equals(TP) ? log : null, writers,
                store);
        AppendService s = new AppendService(registry, DataPathMetrics.NONE, System::currentTimeMillis);
        submit(s, TP, direct(idempotent(7, (short) 0, 0, 1, 0)), Acks.LEADER).get(5, TimeUnit.SECONDS);
        registry.checkpointProducerState(System.currentTimeMillis(), Long.MAX_VALUE).get(5, TimeUnit.SECONDS);
        assertThat(store.load("orders", 2)).isNotNull();
        exists.set(false);
        registry.checkpointProducerState(System.currentTimeMillis(), Long.MAX_VALUE).get(5, TimeUnit.SECONDS);
        assertThat(store.load("orders", 2)).isNull();
    }
}
