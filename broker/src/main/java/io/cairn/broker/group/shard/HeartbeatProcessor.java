package io.cairn.broker.group.shard;

import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.broker.group.HeartbeatResult;
import io.cairn.broker.group.assignor.UniformStickyAssignor;
import io.cairn.broker.group.record.CurrentAssignmentKey;
import io.cairn.broker.group.record.CurrentAssignmentValue;
import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.record.MemberMetadataKey;
import io.cairn.broker.group.record.MemberMetadataValue;
import io.cairn.protocol.wire.ErrorCode;

import java.util.List;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;

import static io.cairn.broker.group.HeartbeatRequest.JOIN_EPOCH;
import static io.cairn.broker.group.HeartbeatRequest.LEAVE_EPOCH;
import static io.cairn.broker.group.HeartbeatRequest.STATIC_LEAVE_EPOCH;

/**
 * ConsumerGroupHeartbeat: joins, keeps alive, reconciles and removes members.
 *
 * <p>Every refusal is decided before the first record is written, so a refused heartbeat leaves
 * the group untouched. Confined to the shard's thread.
 */
final class HeartbeatProcessor {

    private final ShardContext ctx;
    private final GroupMutations mutations;

    HeartbeatProcessor(ShardContext ctx, GroupMutations mutations) {
        this.ctx = ctx;
        this.mutations = mutations;
    }

    HeartbeatResult heartbeat(HeartbeatRequest request, long nowMs, RecordBuffer out) {
        HeartbeatResult invalid = validate(request);
        if (invalid != null) {
            return invalid;
        }
        if (request.memberEpoch() == LEAVE_EPOCH || request.memberEpoch() == STATIC_LEAVE_EPOCH) {
            return leave(request, nowMs, out);
        }
        String groupId = request.groupId();
        ConsumerGroup group = ctx.groups.get(groupId);
        if (group == null && request.memberEpoch() != JOIN_EPOCH) {
            return unknownMember(request);
        }

        // Who is heartbeating: an existing member, a new one, or a static member's new incarnation.
        String memberId;
        ConsumerGroupMember member = null;
        ConsumerGroupMember replaced = null;
        if (request.instanceId() == null) {
            if (request.memberEpoch() == JOIN_EPOCH) {
                memberId = isEmpty(request.memberId()) ? ctx.memberIds.get() : request.memberId();
                member = group == null ? null : group.member(memberId);
            } else {
                memberId = request.memberId();
                member = group.member(memberId);
                if (member == null) {
                    return unknownMember(request);
                }
            }
        } else {
            ConsumerGroupMember existing = group == null ? null : group.staticMember(request.instanceId());
            if (request.memberEpoch() == JOIN_EPOCH) {
                if (existing == null) {
                    memberId = isEmpty(request.memberId()) ? ctx.memberIds.get() : request.memberId();
                    member = group == null ? null : group.member(memberId);
                } else if (existing.memberEpoch() == STATIC_LEAVE_EPOCH) {
                    memberId = isEmpty(request.memberId()) ? ctx.memberIds.get() : request.memberId();
                    replaced = existing;
                } else if (existing.memberId().equals(request.memberId())) {
                    memberId = existing.memberId();
                    member = existing;
                } else {
                    return HeartbeatResult.error(ErrorCode.UNRELEASED_INSTANCE_ID, "group.instance.id "
                            + request.instanceId() + " is still used by member " + existing.memberId()
                            + " of group " + groupId + " at epoch " + existing.memberEpoch());
                }
            } else {
                if (existing == null) {
                    return unknownMember(request);
                }
                if (!existing.memberId().equals(request.memberId())) {
                    return fencedInstance(request, existing);
                }
                memberId = existing.memberId();
                member = existing;
            }
        }
        if (member != null && request.memberEpoch() != JOIN_EPOCH) {
            HeartbeatResult fenced = checkEpoch(groupId, member, request);
            if (fenced != null) {
                return fenced;
            }
        }
        if (member == null && replaced == null && group != null
                && group.members().size() >= ctx.config.maxGroupSize()) {
            return HeartbeatResult.error(ErrorCode.POLICY_VIOLATION, "group " + groupId + " has "
                    + group.members().size() + " members, group.consumer.max.size=" + ctx.config.maxGroupSize());
        }

        // Accepted: from here on the heartbeat only writes.
        MemberMetadataValue base = member != null ? member.subscription()
                : replaced != null ? replaced.subscription() : null;
        MemberMetadataValue subscription = subscriptionOf(request, base);
        boolean bumpEpoch;
        if (replaced != null) {
            mutations.replaceStaticMember(group, replaced, memberId, subscription, out);
            bumpEpoch = subscription.subscriptionDiffers(replaced.subscription());
        } else if (member == null || !subscription.equals(member.subscription())) {
            out.append(new GroupRecord(new MemberMetadataKey(groupId, memberId), subscription));
            bumpEpoch = member == null || subscription.subscriptionDiffers(member.subscription());
        } else {
            bumpEpoch = false;
        }
        group = ctx.groups.get(groupId);
        ctx.emptySinceMs.remove(groupId);
        if (bumpEpoch) {
            mutations.bumpGroupEpoch(group, out);
        }
        if (group.groupEpoch() > group.targetAssignmentEpoch()) {
            mutations.updateTargetAssignment(group, out);
        }
        ConsumerGroupMember before = group.member(memberId);
        ConsumerGroupMember after = mutations.reconcile(group, before, request.ownedPartitions(), nowMs, out);
        mutations.touchSession(group, memberId, nowMs);

        boolean sendAssignment = request.memberEpoch() == JOIN_EPOCH
                || !after.assigned().equals(before.assigned())
                || request.memberEpoch() != before.memberEpoch();
        return new HeartbeatResult(ErrorCode.NONE, null, memberId, after.memberEpoch(),
                ctx.config.heartbeatIntervalMs(), sendAssignment ? after.assigned() : null);
    }

    private HeartbeatResult leave(HeartbeatRequest request, long nowMs, RecordBuffer out) {
        ConsumerGroup group = ctx.groups.get(request.groupId());
        if (group == null) {
            return unknownMember(request);
        }
        ConsumerGroupMember member;
        if (request.instanceId() == null) {
            member = group.member(request.memberId());
        } else {
            member = group.staticMember(request.instanceId());
            if (member != null && !member.memberId().equals(request.memberId())) {
                return fencedInstance(request, member);
            }
        }
        if (member == null) {
            return unknownMember(request);
        }
        if (request.memberEpoch() == STATIC_LEAVE_EPOCH) {
            if (member.memberEpoch() != STATIC_LEAVE_EPOCH) {
                out.append(new GroupRecord(new CurrentAssignmentKey(group.groupId(), member.memberId()),
                        new CurrentAssignmentValue(STATIC_LEAVE_EPOCH, member.memberEpoch(), member.state(),
                                member.assigned(), member.pendingRevocation())));
            }
            ctx.timers.cancel(TimerKey.rebalance(group.groupId(), member.memberId()));
            mutations.touchSession(group, member.memberId(), nowMs);
            return new HeartbeatResult(ErrorCode.NONE, null, member.memberId(), STATIC_LEAVE_EPOCH, 0, null);
        }
        mutations.removeMember(group, member.memberId(), nowMs, out);
        return new HeartbeatResult(ErrorCode.NONE, null, member.memberId(), LEAVE_EPOCH, 0, null);
    }

    /**
     * A member may heartbeat with its current epoch, or with its previous epoch when it reports
     * owning a subset of its assigned partitions (the answer that moved its epoch was lost).
     */
    private static HeartbeatResult checkEpoch(String groupId, ConsumerGroupMember member, HeartbeatRequest request) {
        int epoch = request.memberEpoch();
        if (epoch == member.memberEpoch()) {
            return null;
        }
        if (epoch < member.memberEpoch() && epoch == member.previousMemberEpoch()
                && request.ownedPartitions() != null && member.assigned().containsAll(request.ownedPartitions())) {
            return null;
        }
        return HeartbeatResult.error(ErrorCode.FENCED_MEMBER_EPOCH, "member " + member.memberId() + " of group "
                + groupId + " sent epoch " + epoch + ", its epoch is " + member.memberEpoch()
                + "; it must rejoin with epoch 0");
    }

    private HeartbeatResult validate(HeartbeatRequest request) {
        if (isEmpty(request.groupId())) {
            return HeartbeatResult.error(ErrorCode.INVALID_GROUP_ID, "group id is empty");
        }
        int epoch = request.memberEpoch();
        if (epoch < STATIC_LEAVE_EPOCH) {
            return invalid("member epoch " + epoch + " is below -2");
        }
        if (request.instanceId() != null && request.instanceId().isEmpty()) {
            return invalid("group.instance.id is empty; leave it unset for a dynamic member");
        }
        if (epoch == STATIC_LEAVE_EPOCH && request.instanceId() == null) {
            return invalid("member epoch -2 (temporary leave) is for static members; no group.instance.id given");
        }
        if (epoch != JOIN_EPOCH && isEmpty(request.memberId())) {
            return invalid("member id is empty at member epoch " + epoch);
        }
        if (request.rebalanceTimeoutMs() != -1 && request.rebalanceTimeoutMs() <= 0) {
            return invalid("rebalanceTimeoutMs=" + request.rebalanceTimeoutMs() + " must be positive (or -1 = unchanged)");
        }
        if (epoch == JOIN_EPOCH) {
            if (request.rebalanceTimeoutMs() == -1) {
                return invalid("rebalanceTimeoutMs must be given when joining");
            }
            if (request.subscribedTopicNames() == null && isEmpty(request.subscribedTopicRegex())) {
                return invalid("a subscription (topic names or regex) must be given when joining");
            }
            if (request.ownedPartitions() != null && !request.ownedPartitions().isEmpty()) {
                return invalid("owned partitions must be empty when joining, got " + request.ownedPartitions());
            }
        }
        if (request.subscribedTopicNames() != null) {
            for (String topic : request.subscribedTopicNames()) {
                if (isEmpty(topic)) {
                    return invalid("subscribed topic names contain an empty name");
                }
            }
        }
        if (!isEmpty(request.subscribedTopicRegex())) {
            try {
                ctx.resolver.pattern(request.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                return HeartbeatResult.error(ErrorCode.INVALID_REQUEST, "subscription regex "
                        + request.subscribedTopicRegex() + " does not compile: " + e.getDescription());
            }
        }
        if (request.serverAssignor() != null && !request.serverAssignor().isEmpty()
                && !UniformStickyAssignor.NAME.equals(request.serverAssignor())) {
            return HeartbeatResult.error(ErrorCode.UNSUPPORTED_ASSIGNOR, "server assignor "
                    + request.serverAssignor() + " is not supported; supported: " + UniformStickyAssignor.NAME);
        }
        return null;
    }

    /** The member's subscription after this heartbeat: what it sent, the rest as before. */
    private static MemberMetadataValue subscriptionOf(HeartbeatRequest request, MemberMetadataValue base) {
        List<String> names;
        if (request.subscribedTopicNames() != null) {
            names = List.copyOf(new TreeSet<>(request.subscribedTopicNames()));
        } else {
            names = base == null ? List.of() : base.subscribedTopicNames();
        }
        String regex;
        if (request.subscribedTopicRegex() != null) {
            regex = request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex();
        } else {
            regex = base == null ? null : base.subscribedTopicRegex();
        }
        String rackId = request.rackId() != null ? request.rackId() : base == null ? null : base.rackId();
        int rebalanceTimeoutMs = request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs()
                : base == null ? 0 : base.rebalanceTimeoutMs();
        String assignor = request.serverAssignor() != null
                ? (request.serverAssignor().isEmpty() ? null : request.serverAssignor())
                : base == null ? null : base.serverAssignor();
        String clientId = request.clientId().isEmpty() && base != null ? base.clientId() : request.clientId();
        String clientHost = request.clientHost().isEmpty() && base != null ? base.clientHost() : request.clientHost();
        return new MemberMetadataValue(request.instanceId(), rackId, clientId, clientHost,
                names, regex, rebalanceTimeoutMs, assignor);
    }

    private static HeartbeatResult unknownMember(HeartbeatRequest request) {
        String who = request.instanceId() == null ? "member " + request.memberId()
                : "member " + request.memberId() + " (group.instance.id " + request.instanceId() + ")";
        return HeartbeatResult.error(ErrorCode.UNKNOWN_MEMBER_ID, who + " is not in group " + request.groupId());
    }

    private static HeartbeatResult fencedInstance(HeartbeatRequest request, ConsumerGroupMember owner) {
        return HeartbeatResult.error(ErrorCode.UNKNOWN_MEMBER_ID, "group.instance.id " + request.instanceId()
                + " of group " + request.groupId() + " belongs to member " + owner.memberId() + ", not "
                + request.memberId());
    }

    private static HeartbeatResult invalid(String message) {
        return HeartbeatResult.error(ErrorCode.INVALID_REQUEST, message);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
