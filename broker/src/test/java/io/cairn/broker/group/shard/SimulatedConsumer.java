package io.cairn.broker.group.shard;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.broker.group.HeartbeatResult;
import io.cairn.protocol.wire.ErrorCode;

import java.util.List;

/**
 * A consumer as the coordinator sees it through heartbeats: it takes newly assigned partitions at
 * once, and gives up revoked ones either at once or when told to (a slow revocation).
 */
final class SimulatedConsumer {

    final String groupId;
    final String instanceId;
    String memberId = "";
    int epoch;
    List<String> topics;
    String regex;
    int rebalanceTimeoutMs = 300_000;
    /** What the consumer actually owns. */
    Assignment owned = Assignment.EMPTY;
    /** The last assignment the coordinator sent. */
    Assignment told = Assignment.EMPTY;
    boolean joined;

    SimulatedConsumer(String groupId, String instanceId, List<String> topics, String regex) {
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.topics = topics;
        this.regex = regex;
    }

    static SimulatedConsumer dynamic(String groupId, String... topics) {
        return new SimulatedConsumer(groupId, null, List.of(topics), null);
    }

    HeartbeatRequest joinRequest() {
        return HeartbeatRequest.builder(groupId).memberId(memberId).memberEpoch(0).instanceId(instanceId)
                .rebalanceTimeoutMs(rebalanceTimeoutMs).subscribedTopicNames(topics)
                .subscribedTopicRegex(regex == null ? "" : regex).ownedPartitions(Assignment.EMPTY)
                .clientId("client-" + (instanceId == null ? "dyn" : instanceId)).clientHost("/10.0.0.1").build();
    }

    HeartbeatRequest heartbeatRequest(boolean reportOwned) {
        return HeartbeatRequest.builder(groupId).memberId(memberId).memberEpoch(epoch).instanceId(instanceId)
                .ownedPartitions(reportOwned ? owned : null).build();
    }

    HeartbeatRequest subscriptionChange(List<String> newTopics, String newRegex) {
        this.topics = newTopics;
        this.regex = newRegex;
        return HeartbeatRequest.builder(groupId).memberId(memberId).memberEpoch(epoch).instanceId(instanceId)
                .subscribedTopicNames(newTopics).subscribedTopicRegex(newRegex == null ? "" : newRegex)
                .ownedPartitions(owned).build();
    }

    /** Applies a heartbeat answer; revoked partitions are dropped now only if {@code revokeNow}. */
    void onResult(HeartbeatResult result, boolean revokeNow) {
        if (result.error() != ErrorCode.NONE) {
            return;
        }
        joined = true;
        memberId = result.memberId();
        epoch = result.memberEpoch();
        if (result.assignment() != null) {
            told = result.assignment();
            owned = revokeNow ? told : owned.union(told);
        }
    }

    void completeRevocation() {
        owned = told;
    }

    /** Forgets everything, as a consumer does when fenced or removed, before rejoining with epoch 0. */
    void reset(boolean keepMemberId) {
        if (!keepMemberId) {
            memberId = "";
        }
        epoch = 0;
        owned = Assignment.EMPTY;
        told = Assignment.EMPTY;
        joined = false;
    }

    /** What the consumer might be processing: owned, or newly told but not yet owned. */
    Assignment holding() {
        return owned.union(told);
    }
}
