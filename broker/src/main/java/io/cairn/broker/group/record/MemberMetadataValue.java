package io.cairn.broker.group.record;

import java.util.List;
import java.util.Objects;

/**
 * What a member told the coordinator about itself: its static instance id (null when dynamic),
 * rack, client id and host, its subscription (topic names and/or a regular expression matched
 * against whole topic names; null when absent), its rebalance timeout and the server assignor it
 * asked for (null = the default).
 */
public record MemberMetadataValue(String instanceId, String rackId, String clientId, String clientHost,
                                  List<String> subscribedTopicNames, String subscribedTopicRegex,
                                  int rebalanceTimeoutMs, String serverAssignor) implements GroupRecordValue {
    public MemberMetadataValue {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientHost, "clientHost");
        subscribedTopicNames = List.copyOf(subscribedTopicNames);
    }

    /** Whether what the member subscribes to differs from {@code other}'s subscription. */
    public boolean subscriptionDiffers(MemberMetadataValue other) {
        return !subscribedTopicNames.equals(other.subscribedTopicNames)
                || !Objects.equals(subscribedTopicRegex, other.subscribedTopicRegex);
    }
}
