package io.cairn.broker.produce;

import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.TopicPartition;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a decoded {@link ProduceRequest} into {@link AppendService} calls and their results into a
 * {@link ProduceResponse}: one append per partition, submitted in request order (so the writer
 * lanes see a connection's records in the order they were sent), one response when every
 * partition is answered.
 *
 * <p>{@code acks=0} gets no response (the future completes with null at once; failures are
 * logged). For {@code acks=-1} a partition still waiting for its flush after the request's
 * {@code timeoutMs} is answered {@code REQUEST_TIMED_OUT} (its records are appended all the same,
 * as in Kafka).
 *
 * <p>Buffers: the request's records belong to its holder (the dispatcher releases them when the
 * response future completes). Each append gets its own reference ({@code retain()}), which the
 * append service releases once the bytes are written or refused, so an acks=0 or timed-out
 * request can be released by its holder while its records are still queued.
 *
 * <p>Called on the connection's event loop; the response future completes there. Stateless.
 */
public final class ProduceHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);

    private final AppendService appends;
    private final Consumer<String> unknownTopic;

    public ProduceHandler(AppendService appends) {
        this(appends, topic -> { });
    }

    /**
     * @param unknownTopic told (on the event loop) the name of each topic a produce found missing,
     *                     e.g. to create it when {@code auto.create.topics.enable} is on; the
     *                     produce itself is still answered {@code UNKNOWN_TOPIC_OR_PARTITION}
     *                     (retriable), and the client's retry finds the topic
     */
    public ProduceHandler(AppendService appends, Consumer<String> unknownTopic) {
        this.appends = Objects.requireNonNull(appends, "appends");
        this.unknownTopic = Objects.requireNonNull(unknownTopic, "unknownTopic");
    }

    /**
     * @param loop the connection's event loop (completions and the acks timeout run there)
     * @return the response, or null for acks=0
     */
    public CompletableFuture<ProduceResponse> handle(ProduceRequest request, ScheduledExecutorService loop) {
        Acks acks = Acks.fromWire(request.acks());
        if (acks == null) {
            return CompletableFuture.completedFuture(uniform(request, ErrorCode.INVALID_REQUIRED_ACKS,
                    "acks=" + request.acks() + " is not one of 0, 1, -1"));
        }
        PendingProduce pending = new PendingProduce(request, acks);
        int slot = 0;
        for (ProduceRequest.TopicData topic : request.topics()) {
            for (ProduceRequest.PartitionData partition : topic.partitions()) {
                int index = slot++;
                ByteBuf records = partition.records();
                TopicPartition tp = topicPartition(topic.name(), partition.partitionIndex());
                if (tp == null) {
                    pending.complete(index, AppendResult.failed(ErrorCode.INVALID_TOPIC_EXCEPTION, "topic name '"
                            + topic.name() + "' or partition " + partition.partitionIndex() + " is not valid"));
                } else if (records == null) {
                    pending.complete(index, AppendResult.failed(ErrorCode.INVALID_RECORD,
                            "produce to " + tp + " carries null records"));
                } else {
                    appends.append(tp, records.retain(), acks, loop, result -> {
                        if (result.error() == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
                            unknownTopic.accept(tp.topic());
                        }
                        pending.complete(index, result);
                    });
                }
            }
        }
        if (acks == Acks.NONE) {
            return CompletableFuture.completedFuture(null);
        }
        if (acks == Acks.ALL && !pending.future.isDone()) {
            pending.timeout = loop.schedule(pending::expire, Math.max(0, request.timeoutMs()), TimeUnit.MILLISECONDS);
        }
        return pending.future;
    }

    private static TopicPartition topicPartition(String topic, int partition) {
        if (partition < 0 || !TopicPartition.isLegalTopicName(topic)) {
            return null;
        }
        return new TopicPartition(topic, partition);
    }

    private static ProduceResponse uniform(ProduceRequest request, ErrorCode error, String message) {
        List<ProduceResponse.TopicResponse> topics = new ArrayList<>(request.topics().size());
        for (ProduceRequest.TopicData topic : request.topics()) {
            List<ProduceResponse.PartitionResponse> partitions = new ArrayList<>(topic.partitions().size());
            for (ProduceRequest.PartitionData p : topic.partitions()) {
                partitions.add(new ProduceResponse.PartitionResponse(p.partitionIndex(), error.code(), message, -1, -1, -1));
            }
            topics.add(new ProduceResponse.TopicResponse(topic.name(), partitions));
        }
        return new ProduceResponse(ErrorCode.NONE.code(), null, topics);
    }

    /** The partitions' answers as they arrive; confined to the connection's event loop. */
    private static final class PendingProduce {
        final ProduceRequest request;
        final Acks acks;
        final AppendResult[] results;
        final CompletableFuture<ProduceResponse> future = new CompletableFuture<>();
        int outstanding;
        ScheduledFuture<?> timeout;

        PendingProduce(ProduceRequest request, Acks acks) {
            this.request = request;
            this.acks = acks;
            int count = 0;
            for (ProduceRequest.TopicData topic : request.topics()) {
                count += topic.partitions().size();
            }
            this.results = new AppendResult[count];
            this.outstanding = count;
            if (count == 0) {
                future.complete(respond());
            }
        }

        void complete(int index, AppendResult result) {
            if (acks == Acks.NONE && !result.isSuccess()) {
                LOG.warn("event=produce_failed acks=0 error={} message=\"{}\"", result.error(), result.message());
            }
            if (results[index] != null) {
                return; // already answered REQUEST_TIMED_OUT
            }
            results[index] = result;
            if (--outstanding == 0 && !future.isDone()) {
                if (timeout != null) {
                    timeout.cancel(false);
                }
                future.complete(respond());
            }
        }

        void expire() {
            if (future.isDone()) {
                return;
            }
            for (int i = 0; i < results.length; i++) {
                if (results[i] == null) {
                    results[i] = AppendResult.failed(ErrorCode.REQUEST_TIMED_OUT, "no fsync within timeoutMs="
                            + request.timeoutMs() + " (the records may still be appended)");
                }
            }
            outstanding = 0;
            future.complete(respond());
        }

        ProduceResponse respond() {
            List<ProduceResponse.TopicResponse> topics = new ArrayList<>(request.topics().size());
            int slot = 0;
            for (ProduceRequest.TopicData topic : request.topics()) {
                List<ProduceResponse.PartitionResponse> partitions = new ArrayList<>(topic.partitions().size());
                for (ProduceRequest.PartitionData p : topic.partitions()) {
                    AppendResult r = results[slot++];
                    partitions.add(new ProduceResponse.PartitionResponse(p.partitionIndex(), r.error().code(),
                            r.message(), r.baseOffset(), r.logAppendTimeMs(), r.logStartOffset()));
                }
                topics.add(new ProduceResponse.TopicResponse(topic.name(), partitions));
            }
            return new ProduceResponse(ErrorCode.NONE.code(), null, topics);
        }
    }
}
