package io.cairn.broker.group.handler;

import io.cairn.broker.api.ApiHandler;
import io.cairn.broker.api.RequestContext;
import io.cairn.broker.group.GroupCoordinator;
import io.cairn.protocol.message.DeleteGroupsRequest;
import io.cairn.protocol.message.DeleteGroupsResponse;
import io.cairn.protocol.wire.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** DeleteGroups → {@link GroupCoordinator#deleteGroups}. Stateless; any thread. */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequest, DeleteGroupsResponse> {

    private final GroupCoordinator coordinator;

    public DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<DeleteGroupsResponse> handle(RequestContext context, DeleteGroupsRequest request) {
        return handle(request);
    }

    CompletableFuture<DeleteGroupsResponse> handle(DeleteGroupsRequest request) {
        return coordinator.deleteGroups(request.groupIds()).thenApply(results -> {
            List<DeleteGroupsResponse.DeletableGroupResult> out = new ArrayList<>(results.size());
            results.forEach((groupId, error) -> out.add(new DeleteGroupsResponse.DeletableGroupResult(groupId, error.code())));
            return new DeleteGroupsResponse(ErrorCode.NONE.code(), null, out);
        });
    }
}
