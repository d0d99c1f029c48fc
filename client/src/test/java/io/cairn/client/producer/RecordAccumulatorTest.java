package io.cairn.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.TopicPartition;
import io.cairn.client.internals.Cluster;
import io.cairn.client.network.BrokerAddress;
import io.cairn.client.network.Node;
import io.cairn.protocol.record.CompressionType;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * When the accumulator tells the sender a partition turned sendable: once per batch (its first batch
 * began, or its head batch filled), never for appends to a partition that already has a full batch
 * waiting, and again as soon as the sender took the full batch and the next one fills.
 */
class RecordAccumulatorTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Node NODE = new Node(0, "127.0.0.1", 1);
    private static final Cluster CLUSTER = new Cluster(List.of(NODE), List.of(new Cluster.TopicInfo("t", ErrorCode.NONE,
            false, List.of(new Cluster.PartitionInfo(TP, 0, 0, ErrorCode.NONE)))),
            List.of(new BrokerAddress("127.0.0.1", 1)), 0);
    private static final byte[] VALUE = new byte[100];

    private final List<TopicPartition> wakeups = new ArrayList<>();
    private final RecordAccumulator accumulator = new RecordAccumulator(1024, 60_000, CompressionType.NONE,
            new BufferPool(1 << 20), wakeups::add);

    private CompletableFuture<RecordMetadata> append() {
        return accumulator.append(TP, 1L, null, VALUE, null, null, CairnProducer.estimateSize(null, VALUE, null), 0, 0);
    }

    /** Appends until a new batch begins; returns how many records went before it. */
    private int appendUntilNewBatch() {
        int before = queuedBatches();
        int n = 0;
        while (queuedBatches() == before) {
            append();
            n++;
        }
        return n;
    }

    private int queuedBatches() {
        return accumulator.queuedBatches(TP);
    }

    @Test
    void wakesOncePerBatchNotPerRecord() {
        append();
        assertThat(wakeups).as("the first batch starts the linger clock").containsExactly(TP);

        int firstBatchRecords = appendUntilNewBatch();
        assertThat(firstBatchRecords).as("several 100-byte records fit a 1 KiB batch").isGreaterThan(3);
        assertThat(wakeups).as("the head batch filled: the partition turned sendable").hasSize(2);

        appendUntilNewBatch();
        appendUntilNewBatch();
        assertThat(wakeups).as("behind a full head batch, further batches are no news to the sender").hasSize(2);
    }

    @Test
    void wakesAgainOnceTheSenderTookTheFullBatch() {
        append();
        appendUntilNewBatch();
        assertThat(wakeups).hasSize(2);

        Map<Node, List<ProducerBatch>> drained = accumulator.drain(CLUSTER, List.of(NODE), 1 << 20, 0, b -> true);
        assertThat(drained.get(NODE)).hasSize(1);
        appendUntilNewBatch();
        assertThat(wakeups).as("the new head filled after the sender drained the old one").hasSize(3);
    }

    @Test
    void oneBatchReportsFullWhenARecordFillsItExactly() {
        // A batch whose first record already takes batch.size is full at once: it is the partition's
        // only batch and sendable, so the sender hears of it though no second batch began.
        RecordAccumulator small = new RecordAccumulator(64, 60_000, CompressionType.NONE, new BufferPool(1 << 20),
                wakeups::add);
        small.append(TP, 1L, null, VALUE, null, null, CairnProducer.estimateSize(null, VALUE, null), 0, 0);
        assertThat(wakeups).hasSize(1);
        assertThat(small.ready(CLUSTER, 0).readyNodes()).as("sendable without waiting for linger").contains(NODE);
    }

    @Test
    void futuresOfADrainedBatchCompleteInAppendOrderWithConsecutiveOffsets() {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        List<Long> callbackOffsets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<RecordMetadata> f = append();
            f.thenAccept(md -> callbackOffsets.add(md.offset()));
            futures.add(f);
        }
        ProducerBatch batch = accumulator.drain(CLUSTER, List.of(NODE), 1 << 20, 0, b -> true).get(NODE).get(0);
        assertThat(batch.recordCount()).isEqualTo(5);
        batch.complete(40, -1);
        assertThat(callbackOffsets).as("callbacks ran in append order").containsExactly(40L, 41L, 42L, 43L, 44L);
        assertThat(futures.get(4).join()).isEqualTo(new RecordMetadata("t", 0, 44, 1L, -1, 100));
    }

    @Test
    void drainTakesTheFullBatchesQueuedBehindTheHeadInOrderButNotTheOpenOne() {
        append();
        for (int i = 0; i < 3; i++) {
            appendUntilNewBatch();
        }
        assertThat(queuedBatches()).as("three full batches and an open one").isEqualTo(4);
        List<ProducerBatch> drained = accumulator.drain(CLUSTER, List.of(NODE), 1 << 20, 0, b -> true).get(NODE);
        assertThat(drained).hasSize(3).allMatch(ProducerBatch::isFull);
        assertThat(queuedBatches()).isEqualTo(1);
        assertThat(accumulator.drain(CLUSTER, List.of(NODE), 1 << 20, 0, b -> true).get(NODE))
                .as("a head batch goes whenever its node is drained").hasSize(1);
    }

    @Test
    void drainStopsAtMaxRequestSizeAndAtTheGate() {
        append();
        for (int i = 0; i < 4; i++) {
            appendUntilNewBatch();
        }
        List<ProducerBatch> first = accumulator.drain(CLUSTER, List.of(NODE), 2100, 0, b -> true).get(NODE);
        assertThat(first).as("two ~1 KiB batches fit 2100 bytes").hasSize(2);
        List<ProducerBatch> refused = new ArrayList<>();
        List<ProducerBatch> second = accumulator.drain(CLUSTER, List.of(NODE), 1 << 20, 0,
                new RecordAccumulator.DrainGate() {
                    @Override
                    public boolean admit(ProducerBatch head) {
                        return true;
                    }

                    @Override
                    public boolean admitNext(ProducerBatch previous, ProducerBatch next) {
                        refused.add(next);
                        return false;
                    }
                }).get(NODE);
        assertThat(second).hasSize(1);
        assertThat(refused).hasSize(1);
        assertThat(queuedBatches()).as("the refused batch and the open one stay").isEqualTo(2);
    }

    @Test
    void oneRequestCarriesAtMostTheBatchCapOfAPartition() {
        RecordAccumulator small = new RecordAccumulator(64, 60_000, CompressionType.NONE, new BufferPool(1 << 20),
                wakeups::add);
        for (int i = 0; i < RecordAccumulator.MAX_BATCHES_PER_PARTITION + 5; i++) {
            small.append(TP, 1L, null, VALUE, null, null, CairnProducer.estimateSize(null, VALUE, null), 0, 0);
        }
        assertThat(small.drain(CLUSTER, List.of(NODE), 1 << 20, 0, b -> true).get(NODE))
                .hasSize(RecordAccumulator.MAX_BATCHES_PER_PARTITION);
    }
}
