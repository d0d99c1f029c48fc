package io.cairn.broker.fetch;

import io.cairn.protocol.message.ListOffsetsRequest;
import io.cairn.protocol.message.ListOffsetsResponse;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Turns a decoded {@link ListOffsetsRequest} into {@link OffsetLookupService} lookups, run on a
 * reader thread (a lookup by time reads the time index and batch headers), and answers on the
 * connection's event loop. Both isolation levels see the high watermark (no transactions). The
 * leader epoch answered is the single broker's ({@code StoragePartitionLog.LEADER_EPOCH}) for a
 * found offset, -1 otherwise. Stateless.
 */
public final class ListOffsetsHandler {
    private final OffsetLookupService offsets;
    private final Executor readers;
    private final int leaderEpoch;

    public ListOffsetsHandler(OffsetLookupService offsets, Executor readers, int leaderEpoch) {
        this.offsets = Objects.requireNonNull(offsets, "offsets");
        this.readers = Objects.requireNonNull(readers, "readers");
        this.leaderEpoch = leaderEpoch;
    }

    /** @param loop the connection's event loop, where the future completes */
    public CompletableFuture<ListOffsetsResponse> handle(ListOffsetsRequest request, Executor loop) {
        return CompletableFuture.supplyAsync(() -> lookup(request), readers)
                .thenApplyAsync(response -> response, loop);
    }

    private ListOffsetsResponse lookup(ListOffsetsRequest request) {
        List<ListOffsetsResponse.ListOffsetsTopicResponse> topics = new ArrayList<>(request.topics().size());
        for (ListOffsetsRequest.ListOffsetsTopic topic : request.topics()) {
            List<ListOffsetsResponse.ListOffsetsPartitionResponse> partitions = new ArrayList<>();
            for (ListOffsetsRequest.ListOffsetsPartition p : topic.partitions()) {
                if (p.partitionIndex() < 0 || !TopicPartition.isLegalTopicName(topic.name())) {
                    partitions.add(new ListOffsetsResponse.ListOffsetsPartitionResponse(p.partitionIndex(),
                            ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), -1, -1, -1));
                    continue;
                }
                ListedOffset found = offsets.lookup(new TopicPartition(topic.name(), p.partitionIndex()), p.timestamp());
                partitions.add(new ListOffsetsResponse.ListOffsetsPartitionResponse(p.partitionIndex(),
                        found.error().code(), found.timestamp(), found.offset(), found.offset() >= 0 ? leaderEpoch : -1));
            }
            topics.add(new ListOffsetsResponse.ListOffsetsTopicResponse(topic.name(), partitions));
        }
        return new ListOffsetsResponse(ErrorCode.NONE.code(), null, topics);
    }
}
