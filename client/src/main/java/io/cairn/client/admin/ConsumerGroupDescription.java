package io.cairn.client.admin;

import io.cairn.client.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consumer group as {@link CairnAdmin#describeGroups} reports it.
 *
 * @param groupId          the group id
 * @param state            {@code Empty}, {@code Assigning}, {@code Reconciling} or {@code Stable}
 * @param groupEpoch       the group's epoch, bumped by every change of membership or subscription
 * @param members          the members now, with the partitions each owns
 * @param committedOffsets the next offset to consume per partition the group committed
 */
public record ConsumerGroupDescription(String groupId, String state, int groupEpoch, List<Member> members,
                                       Map<TopicPartition, Long> committedOffsets) {

    public ConsumerGroupDescription {
        members = List.copyOf(members);
        committedOffsets = Map.copyOf(committedOffsets);
    }

    /**
     * One member of a group.
     *
     * @param memberId   the id the coordinator knows it by
     * @param instanceId its {@code group.instance.id}, or null
     * @param clientId   its client id
     * @param memberEpoch the epoch of the assignment it owns
     * @param assignment the partitions it owns
     */
    public record Member(String memberId, String instanceId, String clientId, int memberEpoch,
                         Set<TopicPartition> assignment) {
        public Member {
            assignment = Set.copyOf(assignment);
        }
    }
}
