package io.cairn.broker.api;

import io.cairn.broker.admin.TopicAdmin;
import io.cairn.protocol.message.AlterConfigsRequest;
import io.cairn.protocol.message.AlterConfigsResponse;
import io.cairn.protocol.message.ConfigResources;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * AlterConfigs with incremental semantics: per topic, SET keys get the new value, DELETE keys go
 * back to the broker default, keys not listed keep theirs. The whole change to one topic is
 * validated first and applied in one durable write, or not at all (INVALID_CONFIG naming the key
 * and the problem). The new values reach the topic's open logs at once. Broker settings are
 * static (file, environment, {@code --set}, then restart): altering a broker resource is
 * INVALID_REQUEST.
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequest, AlterConfigsResponse> {
    private final TopicAdmin admin;

    public AlterConfigsHandler(TopicAdmin admin) {
        this.admin = admin;
    }

    @Override
    public CompletableFuture<AlterConfigsResponse> handle(RequestContext context, AlterConfigsRequest request) {
        List<CompletableFuture<AlterConfigsResponse.AlterConfigsResourceResponse>> results = new ArrayList<>();
        for (AlterConfigsRequest.AlterConfigsResource resource : request.resources()) {
            results.add(alter(context, resource, request.validateOnly()));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture<?>[]::new)).thenApply(done ->
                new AlterConfigsResponse(ErrorCode.NONE.code(), null, results.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<AlterConfigsResponse.AlterConfigsResourceResponse> alter(RequestContext context,
            AlterConfigsRequest.AlterConfigsResource resource, boolean validateOnly) {
        if (resource.resourceType() == ConfigResources.TYPE_BROKER) {
            return failed(resource, ErrorCode.INVALID_REQUEST, "broker settings cannot be altered while the broker runs; "
                    + "set them in the config file, a CAIRN_* variable or --set, and restart");
        }
        if (resource.resourceType() != ConfigResources.TYPE_TOPIC) {
            return failed(resource, ErrorCode.INVALID_REQUEST, "resource type " + resource.resourceType()
                    + " is not supported (expected: " + ConfigResources.TYPE_TOPIC + " topic)");
        }
        Map<String, Optional<String>> changes = new LinkedHashMap<>();
        for (AlterConfigsRequest.AlterableConfig config : resource.configs()) {
            if (config.configOperation() == AlterConfigsRequest.OP_SET) {
                if (config.value() == null) {
                    return failed(resource, ErrorCode.INVALID_CONFIG, "topic " + resource.resourceName() + ": SET "
                            + config.name() + " needs a value (use DELETE to return to the default)");
                }
                changes.put(config.name(), Optional.of(config.value()));
            } else if (config.configOperation() == AlterConfigsRequest.OP_DELETE) {
                changes.put(config.name(), Optional.empty());
            } else {
                return failed(resource, ErrorCode.INVALID_REQUEST, "topic " + resource.resourceName() + ": config "
                        + config.name() + " has operation " + config.configOperation() + " (expected: "
                        + AlterConfigsRequest.OP_SET + " SET or " + AlterConfigsRequest.OP_DELETE + " DELETE)");
            }
        }
        return admin.alterConfigs(resource.resourceName(), changes, validateOnly, AdminErrors.requester(context))
                .thenApply(result -> result.isOk()
                        ? new AlterConfigsResponse.AlterConfigsResourceResponse(ErrorCode.NONE.code(), null,
                                resource.resourceType(), resource.resourceName())
                        : new AlterConfigsResponse.AlterConfigsResourceResponse(AdminErrors.code(result, false),
                                result.message(), resource.resourceType(), resource.resourceName()));
    }

    private static CompletableFuture<AlterConfigsResponse.AlterConfigsResourceResponse> failed(
            AlterConfigsRequest.AlterConfigsResource resource, ErrorCode error, String message) {
        return CompletableFuture.completedFuture(new AlterConfigsResponse.AlterConfigsResourceResponse(error.code(), message,
                resource.resourceType(), resource.resourceName()));
    }
}
