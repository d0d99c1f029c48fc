package io.cairn.client.internals;

import io.cairn.client.TopicPartition;
import io.cairn.client.network.BrokerAddress;
import io.cairn.client.network.Node;
import io.cairn.protocol.message.MetadataResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of cluster metadata: brokers, and per topic its partitions and their leaders.
 * Internal to the client; replaced wholesale by {@link Metadata} on every refresh and safe to read
 * from any thread.
 */
public final class Cluster {
    /**
     * One partition's leadership.
     *
     * @param topicPartition the partition
     * @param leaderId the leader's broker id, -1 when there is none
     * @param leaderEpoch the leader epoch, -1 when unknown
     * @param error the partition-level error (NONE normally)
     */
    public record PartitionInfo(TopicPartition topicPartition, int leaderId, int leaderEpoch, ErrorCode error) {
    }

    /**
     * One topic as the broker described it.
     *
     * @param name the topic
     * @param error the topic-level error (UNKNOWN_TOPIC_OR_PARTITION for a missing topic)
     * @param internal whether the topic is internal
     * @param partitions the partitions ordered by number
     */
    public record TopicInfo(String name, ErrorCode error, boolean internal, List<PartitionInfo> partitions) {
    }

    private final Map<Integer, Node> nodes;
    private final Map<String, TopicInfo> topics;
    private final List<BrokerAddress> bootstrap;
    private final long updatedAtMs;

    /** A snapshot of the given brokers and topics. */
    public Cluster(Collection<Node> nodes, Collection<TopicInfo> topics, List<BrokerAddress> bootstrap, long updatedAtMs) {
        Map<Integer, Node> n = new LinkedHashMap<>();
        nodes.forEach(node -> n.put(node.id(), node));
        Map<String, TopicInfo> t = new LinkedHashMap<>();
        topics.forEach(topic -> t.put(topic.name(), topic));
        this.nodes = Collections.unmodifiableMap(n);
        this.topics = Collections.unmodifiableMap(t);
        this.bootstrap = List.copyOf(bootstrap);
        this.updatedAtMs = updatedAtMs;
    }

    /** The snapshot a Metadata response describes. */
    public static Cluster from(MetadataResponse response, List<BrokerAddress> bootstrap, long nowMs) {
        List<Node> nodes = new ArrayList<>();
        for (MetadataResponse.Broker b : response.brokers()) {
            nodes.add(new Node(b.nodeId(), b.host(), b.port()));
        }
        List<TopicInfo> topicInfos = new ArrayList<>();
        for (MetadataResponse.Topic t : response.topics()) {
            List<MetadataResponse.Partition> sorted = new ArrayList<>(t.partitions());
            sorted.sort((a, b) -> Integer.compare(a.partitionIndex(), b.partitionIndex()));
            List<PartitionInfo> parts = new ArrayList<>();
            for (MetadataResponse.Partition p : sorted) {
                parts.add(new PartitionInfo(new TopicPartition(t.name(), p.partitionIndex()), p.leaderId(),
                        p.leaderEpoch(), ErrorCode.forCode(p.errorCode())));
            }
            topicInfos.add(new TopicInfo(t.name(), ErrorCode.forCode(t.errorCode()), t.isInternal(), parts));
        }
        return new Cluster(nodes, topicInfos, bootstrap, nowMs);
    }

    /** The snapshot before any metadata arrived: only the bootstrap addresses. */
    public static Cluster bootstrap(List<BrokerAddress> bootstrap) {
        return new Cluster(List.of(), List.of(), bootstrap, 0);
    }

    /** Known brokers. */
    public Collection<Node> nodes() {
        return nodes.values();
    }

    /** The broker with {@code id}, or null. */
    public Node node(int id) {
        return nodes.get(id);
    }

    /** The bootstrap addresses this client started from. */
    public List<BrokerAddress> bootstrapAddresses() {
        return bootstrap;
    }

    /** The topic's description, or null if metadata has not described it. */
    public TopicInfo topic(String name) {
        return topics.get(name);
    }

    /** Every described topic. */
    public Collection<TopicInfo> topics() {
        return topics.values();
    }

    /** The partition count of a topic that exists, or -1. */
    public int partitionCount(String topic) {
        TopicInfo t = topics.get(topic);
        return t == null || t.error() != ErrorCode.NONE ? -1 : t.partitions().size();
    }

    /** The partition's leader, or null when unknown. */
    public Node leader(TopicPartition tp) {
        PartitionInfo p = partition(tp);
        return p == null || p.leaderId() < 0 ? null : nodes.get(p.leaderId());
    }

    /** The partition's description, or null. */
    public PartitionInfo partition(TopicPartition tp) {
        TopicInfo t = topics.get(tp.topic());
        if (t == null || tp.partition() >= t.partitions().size()) {
            return null;
        }
        PartitionInfo p = t.partitions().get(tp.partition());
        return p.topicPartition().equals(tp) ? p : null;
    }

    /** Partitions of described topics led by {@code nodeId}. */
    public List<TopicPartition> partitionsLedBy(int nodeId) {
        List<TopicPartition> out = new ArrayList<>();
        for (TopicInfo t : topics.values()) {
            for (PartitionInfo p : t.partitions()) {
                if (p.leaderId() == nodeId) {
                    out.add(p.topicPartition());
                }
            }
        }
        return out;
    }

    /** When this snapshot was taken, in epoch ms (0 for the bootstrap snapshot). */
    public long updatedAtMs() {
        return updatedAtMs;
    }

    @Override
    public String toString() {
        return "Cluster(nodes=" + nodes.values() + ", topics=" + topics.keySet() + ")";
    }
}
