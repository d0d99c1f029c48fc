package io.cairn.client.consumer;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.BrokerException;
import io.cairn.client.errors.CairnException;
import io.cairn.client.errors.CommitFailedException;
import io.cairn.client.errors.RetriableException;
import io.cairn.client.network.BrokerAddress;
import io.cairn.client.network.NetworkClient;
import io.cairn.client.network.WireRequest;
import io.cairn.protocol.message.OffsetCommitRequest;
import io.cairn.protocol.message.OffsetCommitResponse;
import io.cairn.protocol.message.OffsetFetchRequest;
import io.cairn.protocol.message.OffsetFetchResponse;
import io.cairn.protocol.message.TopicPartitions;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Commits and reads a group's offsets at its coordinator (OffsetCommit, OffsetFetch). One attempt per
 * call; callers retry {@link RetriableException}s. Errors map to: coordinator moved or busy and stale
 * epochs are retriable; a member fenced or unknown is {@link CommitFailedException}. Thread-safe.
 */
final class GroupOffsets {
    private static final int VERSION = 0;

    private final String groupId;
    private final String instanceId;
    private final NetworkClient network;
    private final CoordinatorLocator locator;
    private final int requestTimeoutMs;

    GroupOffsets(String groupId, String instanceId, NetworkClient network, CoordinatorLocator locator,
                 int requestTimeoutMs) {
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.network = network;
        this.locator = locator;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** Commits {@code offsets} as member {@code memberId} in {@code memberEpoch} (empty id and -1: outside the group). */
    CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets, String memberId, int memberEpoch) {
        Map<String, List<OffsetCommitRequest.OffsetCommitPartition>> byTopic = new LinkedHashMap<>();
        offsets.forEach((tp, om) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new OffsetCommitRequest.OffsetCommitPartition(tp.partition(), om.offset(), -1, om.metadata())));
        List<OffsetCommitRequest.OffsetCommitTopic> topics = new ArrayList<>();
        byTopic.forEach((t, ps) -> topics.add(new OffsetCommitRequest.OffsetCommitTopic(t, ps)));
        OffsetCommitRequest request = new OffsetCommitRequest(groupId, memberId, memberEpoch,
                memberEpoch < 0 ? null : instanceId, topics);
        return locator.coordinator().thenCompose(coordinator -> network.send(coordinator,
                        WireRequest.of(request, VERSION, OffsetCommitResponse.class), requestTimeoutMs)
                .handle((r, error) -> {
                    failOnNetworkError(coordinator, error);
                    String context = "commit offsets of group " + groupId;
                    check(coordinator, ErrorCode.forCode(r.errorCode()), context, r.errorMessage());
                    for (OffsetCommitResponse.OffsetCommitTopicResponse t : r.topics()) {
                        for (OffsetCommitResponse.OffsetCommitPartitionResponse p : t.partitions()) {
                            check(coordinator, ErrorCode.forCode(p.errorCode()), context + " for " + t.name() + "-"
                                    + p.partitionIndex(), null);
                        }
                    }
                    return null;
                }));
    }

    /** The committed offsets of {@code partitions}; partitions without a commit are left out. */
    CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> fetch(Set<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        List<TopicPartitions> topics = new ArrayList<>();
        byTopic.forEach((t, ps) -> topics.add(new TopicPartitions(t, ps)));
        OffsetFetchRequest request = new OffsetFetchRequest(groupId, topics);
        return locator.coordinator().thenCompose(coordinator -> network.send(coordinator,
                        WireRequest.of(request, VERSION, OffsetFetchResponse.class), requestTimeoutMs)
                .handle((r, error) -> {
                    failOnNetworkError(coordinator, error);
                    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
                    ErrorCode code = ErrorCode.forCode(r.errorCode());
                    if (code == ErrorCode.GROUP_ID_NOT_FOUND) {
                        return out; // nothing committed yet
                    }
                    String context = "fetch committed offsets of group " + groupId;
                    check(coordinator, code, context, r.errorMessage());
                    for (OffsetFetchResponse.OffsetFetchTopic t : r.topics()) {
                        for (OffsetFetchResponse.OffsetFetchPartition p : t.partitions()) {
                            check(coordinator, ErrorCode.forCode(p.errorCode()), context + " for " + t.name() + "-"
                                    + p.partitionIndex(), null);
                            if (p.committedOffset() >= 0) {
                                out.put(new TopicPartition(t.name(), p.partitionIndex()),
                                        new OffsetAndMetadata(p.committedOffset(), p.metadata()));
                            }
                        }
                    }
                    return out;
                }));
    }

    private void failOnNetworkError(BrokerAddress coordinator, Throwable error) {
        if (error == null) {
            return;
        }
        locator.markUnknown(coordinator);
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CairnException c) {
            throw c;
        }
        throw new RetriableException("request to coordinator " + coordinator + " of group " + groupId + " failed: "
                + cause, cause);
    }

    private void check(BrokerAddress coordinator, ErrorCode code, String context, String message) {
        if (code == ErrorCode.NONE) {
            return;
        }
        if (CoordinatorLocator.isCoordinatorError(code)) {
            locator.markUnknown(coordinator);
            throw new RetriableException(code + ": " + context + ": " + (message == null ? code.defaultMessage() : message));
        }
        switch (code) {
            case STALE_MEMBER_EPOCH -> throw new RetriableException(code + ": " + context
                    + ": the member epoch changed; retrying with the new one");
            case FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> throw new CommitFailedException(code
                    + ": " + context + ": the consumer is no longer a member of the group in that epoch ("
                    + (message == null ? code.defaultMessage() : message) + "); its partitions may be read by another "
                    + "member, so records since the last commit may be read again");
            default -> {
                BrokerException e = BrokerException.of(code, context, message);
                if (code.retriable()) {
                    throw new RetriableException(e.getMessage(), e);
                }
                throw e;
            }
        }
    }
}
