package io.cairn.broker.group.handler;

import io.cairn.broker.api.ApiHandler;
import io.cairn.broker.api.RequestContext;
import io.cairn.broker.group.GroupCoordinator;
import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.protocol.message.ConsumerGroupHeartbeatRequest;
import io.cairn.protocol.message.ConsumerGroupHeartbeatResponse;
import io.cairn.protocol.wire.ErrorCode;

import java.util.concurrent.CompletableFuture;

/** ConsumerGroupHeartbeat → {@link GroupCoordinator#heartbeat}. Stateless; any thread. */
public final class ConsumerGroupHeartbeatHandler
        implements ApiHandler<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse> {

    private final GroupCoordinator coordinator;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ConsumerGroupHeartbeatResponse> handle(RequestContext context,
                                                                    ConsumerGroupHeartbeatRequest request) {
        return handle(Conversions.clientId(context), Conversions.clientHost(context), request);
    }

    CompletableFuture<ConsumerGroupHeartbeatResponse> handle(String clientId, String clientHost,
                                                             ConsumerGroupHeartbeatRequest request) {
        HeartbeatRequest domain = new HeartbeatRequest(request.groupId(), request.memberId(), request.memberEpoch(),
                request.instanceId(), request.rackId(), request.rebalanceTimeoutMs(), request.subscribedTopicNames(),
                request.subscribedTopicRegex(), request.serverAssignor(), Conversions.toAssignment(request.topicPartitions()),
                clientId, clientHost);
        return coordinator.heartbeat(domain).thenApply(result -> new ConsumerGroupHeartbeatResponse(
                result.error().code(), result.error() == ErrorCode.NONE ? null : result.errorMessage(),
                result.memberId(), result.memberEpoch(), result.heartbeatIntervalMs(),
                Conversions.toWire(result.assignment())));
    }
}
