package io.cairn.broker.group.handler;

import io.cairn.broker.api.ApiHandler;
import io.cairn.broker.api.RequestContext;
import io.cairn.broker.group.GroupCoordinator;
import io.cairn.broker.group.GroupState;
import io.cairn.protocol.message.ListGroupsRequest;
import io.cairn.protocol.message.ListGroupsResponse;
import io.cairn.protocol.wire.ErrorCode;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ListGroups → {@link GroupCoordinator#listGroups}. States are matched without regard to case
 * ("Stable", "STABLE"); an unknown state is INVALID_REQUEST. Stateless; any thread.
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequest, ListGroupsResponse> {

    private final GroupCoordinator coordinator;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ListGroupsResponse> handle(RequestContext context, ListGroupsRequest request) {
        return handle(request);
    }

    CompletableFuture<ListGroupsResponse> handle(ListGroupsRequest request) {
        Set<GroupState> states = EnumSet.noneOf(GroupState.class);
        for (String name : request.statesFilter()) {
            try {
                states.add(GroupState.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return CompletableFuture.completedFuture(new ListGroupsResponse(ErrorCode.INVALID_REQUEST.code(),
                        "unknown group state " + name + "; expected one of Empty, Assigning, Reconciling, Stable, Dead",
                        List.of()));
            }
        }
        return coordinator.listGroups(states).thenApply(result -> new ListGroupsResponse(result.error().code(),
                result.error() == ErrorCode.NONE ? null : result.error().defaultMessage(),
                result.groups().stream().map(g -> new ListGroupsResponse.ListedGroup(g.groupId(),
                        g.state().displayName(), g.protocolType())).toList()));
    }
}
