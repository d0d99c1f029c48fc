package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import java.util.List;

/**
 * A topic name and some of its partitions: owned or assigned partitions in ConsumerGroupHeartbeat
 * and DescribeGroups, the partitions asked for in OffsetFetch.
 *
 * @param topicName  the topic
 * @param partitions partition numbers
 */
public record TopicPartitions(String topicName, List<Integer> partitions) {
    public static final Schema<TopicPartitions> SCHEMA = Schema.of(TopicPartitions.class,
            Field.of("topicName", Types.STRING, "The topic name."),
            Field.of("partitions", Types.array(Types.INT32), "Partition numbers of the topic."));
}
