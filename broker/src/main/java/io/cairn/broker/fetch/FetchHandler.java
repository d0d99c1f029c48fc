package io.cairn.broker.fetch;

import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.types.RecordBytes;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.TopicPartition;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a decoded {@link FetchRequest} into one {@link FetchService} call and its answer into a
 * {@link FetchResponse} whose records are file slices ({@code RecordBytes.of(FileSlice)}), which
 * the network writes with sendfile.
 *
 * <p>Partitions with an illegal topic name are answered {@code UNKNOWN_TOPIC_OR_PARTITION}
 * without reading. Both isolation levels read up to the high watermark (there are no
 * transactions, so the last stable offset equals it). The fetch response has no per-partition
 * message field, so partition errors are logged at debug with their message.
 *
 * <p>Called on the connection's event loop; the response future completes there. Stateless.
 */
public final class FetchHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FetchHandler.class);

    private final FetchService fetches;

    public FetchHandler(FetchService fetches) {
        this.fetches = Objects.requireNonNull(fetches, "fetches");
    }

    public CompletableFuture<FetchResponse> handle(FetchRequest request, ScheduledExecutorService loop) {
        return handle(request, loop, null);
    }

    /**
     * @param connectionClosed completes when the requesting connection closes (a parked fetch is
     *                         then answered at once, to nobody, instead of waiting out maxWaitMs);
     *                         may be null
     */
    public CompletableFuture<FetchResponse> handle(FetchRequest request, ScheduledExecutorService loop,
                                                  Future<Void> connectionClosed) {
        List<FetchSpec.Partition> wanted = new ArrayList<>();
        for (FetchRequest.FetchTopic topic : request.topics()) {
            for (FetchRequest.FetchPartition p : topic.partitions()) {
                if (p.partitionIndex() >= 0 && TopicPartition.isLegalTopicName(topic.name())) {
                    wanted.add(new FetchSpec.Partition(new TopicPartition(topic.name(), p.partitionIndex()),
                            p.fetchOffset(), Math.max(0, p.partitionMaxBytes())));
                }
            }
        }
        FetchSpec spec = new FetchSpec(wanted, Math.max(0, request.maxWaitMs()), request.minBytes(),
                Math.max(0, request.maxBytes()));
        CompletableFuture<FetchResponse> response = new CompletableFuture<>();
        Runnable answerNow = fetches.fetch(spec, loop, fetched -> response.complete(respond(request, fetched)));
        if (connectionClosed != null) {
            GenericFutureListener<Future<Void>> onClose = closed -> answerNow.run();
            connectionClosed.addListener(onClose);
            // a long-lived connection must not collect one listener per fetch
            response.whenComplete((r, e) -> connectionClosed.removeListener(onClose));
        }
        return response;
    }

    private static FetchResponse respond(FetchRequest request, List<FetchedPartition> fetched) {
        List<FetchResponse.TopicResponse> topics = new ArrayList<>(request.topics().size());
        int next = 0;
        for (FetchRequest.FetchTopic topic : request.topics()) {
            List<FetchResponse.PartitionData> partitions = new ArrayList<>(topic.partitions().size());
            boolean legal = TopicPartition.isLegalTopicName(topic.name());
            for (FetchRequest.FetchPartition p : topic.partitions()) {
                if (!legal || p.partitionIndex() < 0) {
                    partitions.add(new FetchResponse.PartitionData(p.partitionIndex(),
                            ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), -1, -1, -1, null));
                    continue;
                }
                FetchedPartition f = fetched.get(next++);
                if (f.error() != ErrorCode.NONE) {
                    LOG.debug("event=fetch_partition_error partition={} error={} message=\"{}\"", f.topicPartition(),
                            f.error(), f.message());
                }
                partitions.add(new FetchResponse.PartitionData(p.partitionIndex(), f.error().code(), f.highWatermark(),
                        f.highWatermark(), f.logStartOffset(), f.records() == null ? null : RecordBytes.of(f.records())));
            }
            topics.add(new FetchResponse.TopicResponse(topic.name(), partitions));
        }
        return new FetchResponse(ErrorCode.NONE.code(), null, topics);
    }
}
