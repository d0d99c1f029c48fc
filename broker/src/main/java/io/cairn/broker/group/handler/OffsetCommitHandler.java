package io.cairn.broker.group.handler;

import io.cairn.broker.api.ApiHandler;
import io.cairn.broker.api.RequestContext;
import io.cairn.broker.group.GroupCoordinator;
import io.cairn.broker.group.OffsetCommitRequest;
import io.cairn.broker.group.PartitionOffset;
import io.cairn.broker.group.TopicPartition;
import io.cairn.protocol.message.OffsetCommitResponse;
import io.cairn.protocol.wire.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** OffsetCommit → {@link GroupCoordinator#commitOffsets}. Stateless; any thread. */
public final class OffsetCommitHandler
        implements ApiHandler<io.cairn.protocol.message.OffsetCommitRequest, OffsetCommitResponse> {

    private final GroupCoordinator coordinator;

    public OffsetCommitHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<OffsetCommitResponse> handle(RequestContext context,
                                                          io.cairn.protocol.message.OffsetCommitRequest request) {
        return handle(request);
    }

    CompletableFuture<OffsetCommitResponse> handle(io.cairn.protocol.message.OffsetCommitRequest request) {
        List<PartitionOffset> offsets = new ArrayList<>();
        for (var topic : request.topics()) {
            for (var partition : topic.partitions()) {
                if (partition.partitionIndex() >= 0) {
                    offsets.add(new PartitionOffset(new TopicPartition(topic.name(), partition.partitionIndex()),
                            partition.committedOffset(), partition.committedLeaderEpoch(), partition.committedMetadata()));
                }
            }
        }
        OffsetCommitRequest domain = new OffsetCommitRequest(request.groupId(), request.memberId(),
                request.memberEpoch(), request.groupInstanceId(), offsets);
        return coordinator.commitOffsets(domain).thenApply(result -> {
            List<OffsetCommitResponse.OffsetCommitTopicResponse> topics = new ArrayList<>(request.topics().size());
            for (var topic : request.topics()) {
                List<OffsetCommitResponse.OffsetCommitPartitionResponse> partitions = new ArrayList<>();
                for (var partition : topic.partitions()) {
                    ErrorCode error = partition.partitionIndex() < 0 ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                            : result.errorFor(new TopicPartition(topic.name(), partition.partitionIndex()));
                    partitions.add(new OffsetCommitResponse.OffsetCommitPartitionResponse(partition.partitionIndex(),
                            error.code()));
                }
                topics.add(new OffsetCommitResponse.OffsetCommitTopicResponse(topic.name(), partitions));
            }
            return new OffsetCommitResponse(ErrorCode.NONE.code(), null, topics);
        });
    }
}
