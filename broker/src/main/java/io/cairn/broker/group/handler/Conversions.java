package io.cairn.broker.group.handler;

import io.cairn.broker.api.RequestContext;
import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.TopicPartition;
import io.cairn.protocol.message.TopicPartitions;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Between the wire's topic/partition lists and the coordinator's types. Stateless. */
final class Conversions {

    private Conversions() {
    }

    /** The partitions, or null for null; negative partitions are dropped (they cannot exist). */
    static Assignment toAssignment(List<TopicPartitions> topics) {
        if (topics == null) {
            return null;
        }
        Assignment.Builder builder = Assignment.builder();
        for (TopicPartitions topic : topics) {
            for (int partition : topic.partitions()) {
                if (partition >= 0) {
                    builder.add(topic.topicName(), partition);
                }
            }
        }
        return builder.build();
    }

    static List<TopicPartitions> toWire(Assignment assignment) {
        if (assignment == null) {
            return null;
        }
        List<TopicPartitions> out = new ArrayList<>(assignment.topics().size());
        assignment.toMap().forEach((topic, partitions) -> out.add(new TopicPartitions(topic, partitions)));
        return out;
    }

    /** Values grouped by topic, topics in first-seen order. */
    static <V> Map<String, List<Map.Entry<Integer, V>>> byTopic(Map<TopicPartition, V> values) {
        Map<String, List<Map.Entry<Integer, V>>> out = new LinkedHashMap<>();
        values.forEach((tp, value) -> out.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(Map.entry(tp.partition(), value)));
        return out;
    }

    /** The client's address as Kafka shows it: "/" and the IP address. */
    static String clientHost(RequestContext context) {
        SocketAddress address = context.remoteAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return "/" + inet.getAddress().getHostAddress();
        }
        return address == null ? "" : address.toString();
    }

    static String clientId(RequestContext context) {
        return context.clientId() == null ? "" : context.clientId();
    }
}
