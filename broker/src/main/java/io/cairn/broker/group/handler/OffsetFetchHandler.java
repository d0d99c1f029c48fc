package io.cairn.broker.group.handler;

import io.cairn.broker.api.ApiHandler;
import io.cairn.broker.api.RequestContext;
import io.cairn.broker.group.CommittedOffset;
import io.cairn.broker.group.GroupCoordinator;
import io.cairn.broker.group.OffsetFetchRequest;
import io.cairn.broker.group.TopicPartition;
import io.cairn.protocol.message.OffsetFetchResponse;
import io.cairn.protocol.message.TopicPartitions;
import io.cairn.protocol.wire.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** OffsetFetch → {@link GroupCoordinator#fetchOffsets}. Stateless; any thread. */
public final class OffsetFetchHandler
        implements ApiHandler<io.cairn.protocol.message.OffsetFetchRequest, OffsetFetchResponse> {

    private final GroupCoordinator coordinator;

    public OffsetFetchHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<OffsetFetchResponse> handle(RequestContext context,
                                                         io.cairn.protocol.message.OffsetFetchRequest request) {
        return handle(request);
    }

    CompletableFuture<OffsetFetchResponse> handle(io.cairn.protocol.message.OffsetFetchRequest request) {
        List<TopicPartition> partitions = null;
        if (request.topics() != null) {
            partitions = new ArrayList<>();
            for (TopicPartitions topic : request.topics()) {
                for (int partition : topic.partitions()) {
                    if (partition >= 0) {
                        partitions.add(new TopicPartition(topic.topicName(), partition));
                    }
                }
            }
        }
        return coordinator.fetchOffsets(OffsetFetchRequest.of(request.groupId(), partitions)).thenApply(result -> {
            if (result.error() != ErrorCode.NONE) {
                return new OffsetFetchResponse(result.error().code(), result.error().defaultMessage(), List.of());
            }
            List<OffsetFetchResponse.OffsetFetchTopic> topics = new ArrayList<>();
            Conversions.byTopic(result.offsets()).forEach((topic, offsets) -> topics.add(
                    new OffsetFetchResponse.OffsetFetchTopic(topic, offsets.stream().map(e -> {
                        CommittedOffset offset = e.getValue();
                        return new OffsetFetchResponse.OffsetFetchPartition(e.getKey(), offset.offset(),
                                offset.leaderEpoch(), offset.isPresent() ? offset.metadata() : null,
                                ErrorCode.NONE.code());
                    }).toList())));
            return new OffsetFetchResponse(ErrorCode.NONE.code(), null, topics);
        });
    }
}
