package io.cairn.broker.group.handler;

import io.cairn.broker.api.ApiDispatcher;
import io.cairn.broker.group.GroupCoordinator;
import io.cairn.broker.group.TopicPartition;
import io.cairn.protocol.message.ApiSpecs;

import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Registers the group APIs — FindCoordinator, ConsumerGroupHeartbeat, OffsetCommit, OffsetFetch,
 * ListGroups, DescribeGroups, DeleteGroups — with a dispatcher, all served by one coordinator.
 */
public final class GroupHandlers {

    private GroupHandlers() {
    }

    /**
     * @param endpoint     this broker's advertised node id, host and port (FindCoordinator)
     * @param logEndOffset a partition's end offset visible to consumers, negative when unknown (lag)
     */
    public static void register(ApiDispatcher dispatcher, GroupCoordinator coordinator,
                                Supplier<FindCoordinatorHandler.Endpoint> endpoint,
                                ToLongFunction<TopicPartition> logEndOffset) {
        dispatcher.register(ApiSpecs.FIND_COORDINATOR, new FindCoordinatorHandler(endpoint));
        dispatcher.register(ApiSpecs.CONSUMER_GROUP_HEARTBEAT, new ConsumerGroupHeartbeatHandler(coordinator));
        dispatcher.register(ApiSpecs.OFFSET_COMMIT, new OffsetCommitHandler(coordinator));
        dispatcher.register(ApiSpecs.OFFSET_FETCH, new OffsetFetchHandler(coordinator));
        dispatcher.register(ApiSpecs.LIST_GROUPS, new ListGroupsHandler(coordinator));
        dispatcher.register(ApiSpecs.DESCRIBE_GROUPS, new DescribeGroupsHandler(coordinator, logEndOffset));
        dispatcher.register(ApiSpecs.DELETE_GROUPS, new DeleteGroupsHandler(coordinator));
    }
}
