package io.cairn.broker.group;

import java.util.List;

/**
 * One member in a {@link GroupDescription}: identity, subscription, where it stands, what it owns
 * now ({@code assignment}) and what the coordinator wants it to own ({@code targetAssignment}).
 */
public record MemberDescription(String memberId, String instanceId, String rackId, String clientId,
                                String clientHost, List<String> subscribedTopicNames, String subscribedTopicRegex,
                                int memberEpoch, MemberState state, Assignment assignment,
                                Assignment pendingRevocation, Assignment targetAssignment) {
}
