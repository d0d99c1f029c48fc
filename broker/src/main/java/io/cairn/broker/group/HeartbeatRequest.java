package io.cairn.broker.group;

import java.util.List;
import java.util.Objects;

/**
 * A ConsumerGroupHeartbeat, decoded: how a member joins ({@code memberEpoch == 0}), stays alive and
 * acknowledges its assignment ({@code memberEpoch > 0}), or leaves ({@code -1}; {@code -2} for a
 * static member leaving temporarily). Fields that may be omitted when unchanged since the previous
 * heartbeat are null (or -1 for {@code rebalanceTimeoutMs}).
 *
 * @param groupId              the group; must not be empty
 * @param memberId             the member id; null or empty when joining lets the coordinator assign one
 * @param memberEpoch          0 to join, the current epoch to heartbeat, -1 to leave, -2 for a static
 *                             member's temporary leave
 * @param instanceId           group.instance.id of a static member; null for a dynamic member
 * @param rackId               the client's rack; null = unchanged
 * @param rebalanceTimeoutMs   how long the member may take to revoke partitions; -1 = unchanged
 *                             (required when joining)
 * @param subscribedTopicNames topic names; null = unchanged
 * @param subscribedTopicRegex java.util.regex pattern matched against whole topic names; null =
 *                             unchanged, "" = no regex
 * @param serverAssignor       the assignor asked for; null = unchanged / the default
 * @param ownedPartitions      the partitions the member owns right now; null = not reported (the
 *                             coordinator then assumes it still owns what it was told to revoke).
 *                             Members must report it after revoking and when rejoining (empty).
 * @param clientId             the client id from the request header
 * @param clientHost           the client's address as seen by the broker
 */
public record HeartbeatRequest(String groupId, String memberId, int memberEpoch, String instanceId,
                               String rackId, int rebalanceTimeoutMs, List<String> subscribedTopicNames,
                               String subscribedTopicRegex, String serverAssignor, Assignment ownedPartitions,
                               String clientId, String clientHost) {

    /** Member epoch of a leave request. */
    public static final int LEAVE_EPOCH = -1;
    /** Member epoch of a static member's temporary leave: it keeps its assignment for the session timeout. */
    public static final int STATIC_LEAVE_EPOCH = -2;
    /** Member epoch of a join (or rejoin after being fenced). */
    public static final int JOIN_EPOCH = 0;

    public HeartbeatRequest {
        subscribedTopicNames = subscribedTopicNames == null ? null : List.copyOf(subscribedTopicNames);
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
    }

    /** A builder for the given group, with every optional field unset. */
    public static Builder builder(String groupId) {
        return new Builder(groupId);
    }

    /** A join of a dynamic member subscribing to {@code topics}, with a 5-minute rebalance timeout. */
    public static HeartbeatRequest join(String groupId, String... topics) {
        return builder(groupId).memberEpoch(JOIN_EPOCH).rebalanceTimeoutMs(300_000)
                .subscribedTopicNames(List.of(topics)).ownedPartitions(Assignment.EMPTY).build();
    }

    /** Builds a {@link HeartbeatRequest}; not thread-safe. */
    public static final class Builder {
        private final String groupId;
        private String memberId;
        private int memberEpoch;
        private String instanceId;
        private String rackId;
        private int rebalanceTimeoutMs = -1;
        private List<String> subscribedTopicNames;
        private String subscribedTopicRegex;
        private String serverAssignor;
        private Assignment ownedPartitions;
        private String clientId = "";
        private String clientHost = "";

        private Builder(String groupId) {
            this.groupId = Objects.requireNonNull(groupId, "groupId");
        }

        public Builder memberId(String memberId) {
            this.memberId = memberId;
            return this;
        }

        public Builder memberEpoch(int memberEpoch) {
            this.memberEpoch = memberEpoch;
            return this;
        }

        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        public Builder rackId(String rackId) {
            this.rackId = rackId;
            return this;
        }

        public Builder rebalanceTimeoutMs(int rebalanceTimeoutMs) {
            this.rebalanceTimeoutMs = rebalanceTimeoutMs;
            return this;
        }

        public Builder subscribedTopicNames(List<String> subscribedTopicNames) {
            this.subscribedTopicNames = subscribedTopicNames;
            return this;
        }

        public Builder subscribedTopicRegex(String subscribedTopicRegex) {
            this.subscribedTopicRegex = subscribedTopicRegex;
            return this;
        }

        public Builder serverAssignor(String serverAssignor) {
            this.serverAssignor = serverAssignor;
            return this;
        }

        public Builder ownedPartitions(Assignment ownedPartitions) {
            this.ownedPartitions = ownedPartitions;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder clientHost(String clientHost) {
            this.clientHost = clientHost;
            return this;
        }

        public HeartbeatRequest build() {
            return new HeartbeatRequest(groupId, memberId, memberEpoch, instanceId, rackId, rebalanceTimeoutMs,
                    subscribedTopicNames, subscribedTopicRegex, serverAssignor, ownedPartitions, clientId, clientHost);
        }
    }
}
