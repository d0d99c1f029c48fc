package io.cairn.broker.group.shard;

import io.cairn.broker.group.CommittedOffset;
import io.cairn.broker.group.GroupDescription;
import io.cairn.broker.group.GroupListing;
import io.cairn.broker.group.GroupState;
import io.cairn.broker.group.MemberDescription;
import io.cairn.broker.group.TopicPartition;
import io.cairn.broker.group.assignor.UniformStickyAssignor;
import io.cairn.protocol.wire.ErrorCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** ListGroups, DescribeGroups and DeleteGroups. Confined to the shard's thread. */
final class GroupAdmin {

    private final ShardContext ctx;
    private final GroupMutations mutations;

    GroupAdmin(ShardContext ctx, GroupMutations mutations) {
        this.ctx = ctx;
        this.mutations = mutations;
    }

    /** Groups in id order whose state is in {@code states} (every group when empty). */
    List<GroupListing> list(Set<GroupState> states) {
        List<GroupListing> out = new ArrayList<>();
        for (String groupId : ctx.sortedGroupIds()) {
            GroupState state = ctx.groups.get(groupId).state();
            if (states.isEmpty() || states.contains(state)) {
                out.add(new GroupListing(groupId, state, GroupListing.CONSUMER_PROTOCOL));
            }
        }
        return out;
    }

    GroupDescription describe(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            return GroupDescription.notFound(groupId, ErrorCode.INVALID_GROUP_ID);
        }
        ConsumerGroup group = ctx.groups.get(groupId);
        if (group == null) {
            return GroupDescription.notFound(groupId, ErrorCode.GROUP_ID_NOT_FOUND);
        }
        List<MemberDescription> members = new ArrayList<>();
        for (ConsumerGroupMember member : group.members().values()) {
            var sub = member.subscription();
            members.add(new MemberDescription(member.memberId(), sub.instanceId(), sub.rackId(), sub.clientId(),
                    sub.clientHost(), sub.subscribedTopicNames(), sub.subscribedTopicRegex(), member.memberEpoch(),
                    member.state(), member.assigned(), member.pendingRevocation(),
                    group.targetAssignment(member.memberId())));
        }
        Map<TopicPartition, CommittedOffset> offsets = new TreeMap<>();
        group.offsets().forEach((partition, value) -> offsets.put(partition, OffsetProcessor.toCommitted(value)));
        return new GroupDescription(groupId, ErrorCode.NONE, group.state(), group.groupEpoch(),
                group.targetAssignmentEpoch(), UniformStickyAssignor.NAME, members, offsets);
    }

    /** Deletes each group that has no members: its offsets and metadata become tombstones. */
    Map<String, ErrorCode> delete(List<String> groupIds, RecordBuffer out) {
        Map<String, ErrorCode> results = new LinkedHashMap<>();
        for (String groupId : groupIds) {
            if (groupId == null || groupId.isEmpty()) {
                results.put(groupId, ErrorCode.INVALID_GROUP_ID);
                continue;
            }
            ConsumerGroup group = ctx.groups.get(groupId);
            if (group == null) {
                results.put(groupId, ErrorCode.GROUP_ID_NOT_FOUND);
            } else if (!group.isEmpty()) {
                results.put(groupId, ErrorCode.NON_EMPTY_GROUP);
            } else {
                mutations.deleteGroup(group, out);
                results.put(groupId, ErrorCode.NONE);
            }
        }
        return results;
    }
}
