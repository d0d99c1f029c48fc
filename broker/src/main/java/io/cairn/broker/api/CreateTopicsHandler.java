package io.cairn.broker.api;

import io.cairn.broker.admin.TopicAdmin;
import io.cairn.broker.metadata.TopicResult;
import io.cairn.protocol.message.CreateTopicsRequest;
import io.cairn.protocol.message.CreateTopicsResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * CreateTopics: each topic is created through {@link TopicAdmin} (name, count and configs
 * validated there), one result per topic in request order. A single broker keeps one replica:
 * a replication factor other than -1 or 1 is INVALID_REPLICATION_FACTOR. A name given twice in
 * one request is INVALID_REQUEST for both entries, as in Kafka. The response is sent once every
 * creation is durable; {@code timeoutMs} is not enforced (creation takes milliseconds).
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequest, CreateTopicsResponse> {
    private static final UUID NO_ID = new UUID(0, 0);

    private final TopicAdmin admin;

    public CreateTopicsHandler(TopicAdmin admin) {
        this.admin = admin;
    }

    @Override
    public CompletableFuture<CreateTopicsResponse> handle(RequestContext context, CreateTopicsRequest request) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreateTopicsRequest.CreatableTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        List<CompletableFuture<CreateTopicsResponse.TopicResult>> results = new ArrayList<>();
        for (CreateTopicsRequest.CreatableTopic topic : request.topics()) {
            results.add(create(context, topic, duplicates, request.validateOnly()));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture<?>[]::new)).thenApply(done ->
                new CreateTopicsResponse(ErrorCode.NONE.code(), null, results.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<CreateTopicsResponse.TopicResult> create(RequestContext context,
            CreateTopicsRequest.CreatableTopic topic, Set<String> duplicates, boolean validateOnly) {
        if (duplicates.contains(topic.name())) {
            return failed(topic.name(), ErrorCode.INVALID_REQUEST, "topic " + topic.name() + " appears more than once in the request");
        }
        if (topic.replicationFactor() != -1 && topic.replicationFactor() != 1) {
            return failed(topic.name(), ErrorCode.INVALID_REPLICATION_FACTOR, "topic " + topic.name() + ": replication factor "
                    + topic.replicationFactor() + " is not possible on a single broker (expected: 1, or -1 for the default)");
        }
        Map<String, String> configs = new LinkedHashMap<>();
        for (CreateTopicsRequest.Config config : topic.configs()) {
            if (config.value() != null) {
                configs.put(config.name(), config.value());
            }
        }
        return admin.create(topic.name(), topic.numPartitions(), configs, validateOnly, AdminErrors.requester(context))
                .thenApply(result -> toResult(topic.name(), result));
    }

    private static CreateTopicsResponse.TopicResult toResult(String name, TopicResult result) {
        if (!result.isOk()) {
            return new CreateTopicsResponse.TopicResult(name, NO_ID, AdminErrors.code(result, true), result.message(), -1, (short) -1);
        }
        return new CreateTopicsResponse.TopicResult(name, result.topic().topicId(), ErrorCode.NONE.code(), null,
                result.topic().partitionCount(), (short) 1);
    }

    private static CompletableFuture<CreateTopicsResponse.TopicResult> failed(String name, ErrorCode error, String message) {
        return CompletableFuture.completedFuture(new CreateTopicsResponse.TopicResult(name, NO_ID, error.code(), message, -1, (short) -1));
    }
}
