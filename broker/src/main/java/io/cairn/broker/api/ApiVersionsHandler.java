package io.cairn.broker.api;

import io.cairn.protocol.message.ApiVersionsRequest;
import io.cairn.protocol.message.ApiVersionsResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ApiVersions: lists the APIs this broker serves (those with a registered handler, not every
 * API the protocol module knows) and the versions of each. A request in a version the broker
 * does not speak never gets here: the dispatcher answers it UNSUPPORTED_VERSION in error-only
 * form and the client retries with version 0. Stateless once the list is computed.
 */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequest, ApiVersionsResponse> {
    private final ApiDispatcher dispatcher;
    private volatile ApiVersionsResponse response;

    public ApiVersionsHandler(ApiDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public CompletableFuture<ApiVersionsResponse> handle(RequestContext context, ApiVersionsRequest request) {
        ApiVersionsResponse r = response;
        if (r == null) {
            List<ApiVersionsResponse.ApiVersion> served = dispatcher.servedVersions();
            r = new ApiVersionsResponse((short) 0, null, served);
            response = r;
        }
        return CompletableFuture.completedFuture(r);
    }
}
