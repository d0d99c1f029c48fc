package io.cairn.client.consumer;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.BrokerException;
import io.cairn.client.errors.CairnException;
import io.cairn.client.errors.RetriableException;
import io.cairn.client.internals.Cluster;
import io.cairn.client.internals.Metadata;
import io.cairn.client.network.NetworkClient;
import io.cairn.client.network.Node;
import io.cairn.client.network.WireRequest;
import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.ListOffsetsRequest;
import io.cairn.protocol.message.ListOffsetsResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Looks up offsets with ListOffsets: earliest (-2), latest (-1) or the first offset at or after a
 * timestamp, one request per partition leader. Returns futures completed on the network thread;
 * callers wait or poll them from their own thread. Stateless apart from its collaborators; shared by
 * the consumer and the admin client.
 */
public final class OffsetLookup {
    /** ListOffsets timestamp meaning the log start offset. */
    public static final long EARLIEST = -2L;
    /** ListOffsets timestamp meaning the log end offset. */
    public static final long LATEST = -1L;
    private static final int VERSION = 0;

    /**
     * One partition's answer.
     *
     * @param error the partition's error (NONE when found)
     * @param offset the offset found, -1 when no record is at or after the timestamp
     * @param timestamp the record's timestamp, -1 for earliest/latest
     */
    public record Listed(ErrorCode error, long offset, long timestamp) {
    }

    private final NetworkClient network;
    private final Metadata metadata;
    private final int requestTimeoutMs;

    /** A lookup sending through {@code network}, finding leaders in {@code metadata} (null: callers pass a cluster). */
    public OffsetLookup(NetworkClient network, Metadata metadata, int requestTimeoutMs) {
        this.network = network;
        this.metadata = metadata;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * Sends one ListOffsets per leader. Partitions without a known leader are answered with
     * LEADER_NOT_AVAILABLE (and a metadata refresh is requested); a failed request answers its
     * partitions with the failure.
     */
    public CompletableFuture<Map<TopicPartition, Listed>> list(Map<TopicPartition, Long> timestamps) {
        return list(metadata.cluster(), timestamps);
    }

    /** As {@link #list(Map)}, finding leaders in {@code cluster}. */
    public CompletableFuture<Map<TopicPartition, Listed>> list(Cluster cluster, Map<TopicPartition, Long> timestamps) {
        Map<Node, Map<String, List<ListOffsetsRequest.ListOffsetsPartition>>> byNode = new LinkedHashMap<>();
        Map<TopicPartition, Listed> immediate = new HashMap<>();
        timestamps.forEach((tp, ts) -> {
            Node leader = cluster.leader(tp);
            if (leader == null) {
                immediate.put(tp, new Listed(cluster.topic(tp.topic()) == null || cluster.partitionCount(tp.topic()) < 0
                        ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.LEADER_NOT_AVAILABLE, -1, -1));
                if (metadata != null) {
                    metadata.addTopics(List.of(tp.topic()));
                    metadata.requestUpdate();
                }
                return;
            }
            byNode.computeIfAbsent(leader, n -> new LinkedHashMap<>()).computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                    .add(new ListOffsetsRequest.ListOffsetsPartition(tp.partition(), -1, ts));
        });
        List<CompletableFuture<Map<TopicPartition, Listed>>> parts = new ArrayList<>();
        parts.add(CompletableFuture.completedFuture(immediate));
        for (Map.Entry<Node, Map<String, List<ListOffsetsRequest.ListOffsetsPartition>>> e : byNode.entrySet()) {
            List<ListOffsetsRequest.ListOffsetsTopic> topics = new ArrayList<>();
            e.getValue().forEach((t, ps) -> topics.add(new ListOffsetsRequest.ListOffsetsTopic(t, ps)));
            ListOffsetsRequest request = new ListOffsetsRequest(FetchRequest.READ_UNCOMMITTED, topics);
            Node node = e.getKey();
            parts.add(network.send(node.address(), WireRequest.of(request, VERSION, ListOffsetsResponse.class),
                    requestTimeoutMs).handle((response, error) -> toResult(node, e.getValue(), response, error)));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            Map<TopicPartition, Listed> out = new LinkedHashMap<>();
            for (CompletableFuture<Map<TopicPartition, Listed>> f : parts) {
                out.putAll(f.join());
            }
            return out;
        });
    }

    private Map<TopicPartition, Listed> toResult(Node node, Map<String, List<ListOffsetsRequest.ListOffsetsPartition>> asked,
                                                 ListOffsetsResponse response, Throwable error) {
        Map<TopicPartition, Listed> out = new HashMap<>();
        if (error != null || response.errorCode() != ErrorCode.NONE.code()) {
            ErrorCode code = error != null ? ErrorCode.REQUEST_TIMED_OUT : ErrorCode.forCode(response.errorCode());
            requestMetadataUpdate();
            asked.forEach((t, ps) -> ps.forEach(p -> out.put(new TopicPartition(t, p.partitionIndex()),
                    new Listed(code, -1, -1))));
            return out;
        }
        for (ListOffsetsResponse.ListOffsetsTopicResponse t : response.topics()) {
            for (ListOffsetsResponse.ListOffsetsPartitionResponse p : t.partitions()) {
                ErrorCode code = ErrorCode.forCode(p.errorCode());
                if (code != ErrorCode.NONE && code.retriable()) {
                    requestMetadataUpdate();
                }
                out.put(new TopicPartition(t.name(), p.partitionIndex()), new Listed(code, p.offset(), p.timestamp()));
            }
        }
        asked.forEach((t, ps) -> ps.forEach(p -> out.putIfAbsent(new TopicPartition(t, p.partitionIndex()),
                new Listed(ErrorCode.UNKNOWN_SERVER_ERROR, -1, -1))));
        return out;
    }

    private void requestMetadataUpdate() {
        if (metadata != null) {
            metadata.requestUpdate();
        }
    }

    /** The exception for a partition's failed lookup: retriable ones are {@link RetriableException}s. */
    public static CairnException errorFor(TopicPartition tp, Listed listed) {
        if (listed.error().retriable() || listed.error() == ErrorCode.UNKNOWN_SERVER_ERROR) {
            return new RetriableException(listed.error() + ": list offsets of " + tp + ": " + listed.error().defaultMessage());
        }
        return BrokerException.of(listed.error(), "list offsets of " + tp, null);
    }
}
