package io.cairn.broker.group;

import io.cairn.protocol.wire.ErrorCode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A DescribeGroups answer for one group. Lag is not here: the caller, who knows the log end
 * offsets, computes it from {@link #offsets()} with {@link GroupLag}.
 *
 * @param error           NONE, GROUP_ID_NOT_FOUND (then state is DEAD) or INVALID_GROUP_ID
 * @param groupEpoch      the group epoch
 * @param assignmentEpoch the epoch of the target assignment
 * @param assignor        the server assignor's name
 * @param members         members in member-id order
 * @param offsets         committed offsets in partition order
 */
public record GroupDescription(String groupId, ErrorCode error, GroupState state, int groupEpoch,
                               int assignmentEpoch, String assignor, List<MemberDescription> members,
                               Map<TopicPartition, CommittedOffset> offsets) {

    public GroupDescription {
        Objects.requireNonNull(error, "error");
        members = List.copyOf(members);
        offsets = Collections.unmodifiableMap(new TreeMap<>(offsets));
    }

    public static GroupDescription notFound(String groupId, ErrorCode error) {
        return new GroupDescription(groupId, error, GroupState.DEAD, -1, -1, "", List.of(), Map.of());
    }
}
