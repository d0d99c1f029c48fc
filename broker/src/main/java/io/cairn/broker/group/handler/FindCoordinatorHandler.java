package io.cairn.broker.group.handler;

import io.cairn.broker.api.ApiHandler;
import io.cairn.broker.api.RequestContext;
import io.cairn.protocol.message.FindCoordinatorRequest;
import io.cairn.protocol.message.FindCoordinatorResponse;
import io.cairn.protocol.wire.ErrorCode;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * FindCoordinator: on a single broker every partition of {@code __consumer_offsets} is local, so
 * the coordinator of every group is this broker. Stateless; any thread.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse> {

    /** Where clients reach this broker. */
    public record Endpoint(int nodeId, String host, int port) {
    }

    private final Supplier<Endpoint> endpoint;

    /** @param endpoint this broker's advertised address (read per request: the port is known once bound) */
    public FindCoordinatorHandler(Supplier<Endpoint> endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public CompletableFuture<FindCoordinatorResponse> handle(RequestContext context, FindCoordinatorRequest request) {
        return CompletableFuture.completedFuture(handle(request));
    }

    FindCoordinatorResponse handle(FindCoordinatorRequest request) {
        if (request.keyType() != FindCoordinatorRequest.KEY_TYPE_GROUP) {
            return error(ErrorCode.INVALID_REQUEST, "key type " + request.keyType() + " is not served; only 0 (group)");
        }
        if (request.key() == null || request.key().isEmpty()) {
            return error(ErrorCode.INVALID_GROUP_ID, "the group id is empty");
        }
        Endpoint self = endpoint.get();
        return new FindCoordinatorResponse(ErrorCode.NONE.code(), null, self.nodeId(), self.host(), self.port());
    }

    private static FindCoordinatorResponse error(ErrorCode error, String message) {
        return new FindCoordinatorResponse(error.code(), message, -1, "", -1);
    }
}
