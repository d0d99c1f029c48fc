package io.cairn.broker.api;

import io.cairn.broker.admin.TopicAdmin;
import io.cairn.protocol.message.DeleteTopicsRequest;
import io.cairn.protocol.message.DeleteTopicsResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteTopics: each topic is deleted through {@link TopicAdmin}; internal ({@code __}) topics are
 * refused with POLICY_VIOLATION, unknown ones get UNKNOWN_TOPIC_OR_PARTITION. The response is sent
 * once every deletion is durable (the topic is gone for clients; its files are removed after
 * {@code file.delete.delay.ms}).
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse> {
    private final TopicAdmin admin;

    public DeleteTopicsHandler(TopicAdmin admin) {
        this.admin = admin;
    }

    @Override
    public CompletableFuture<DeleteTopicsResponse> handle(RequestContext context, DeleteTopicsRequest request) {
        List<CompletableFuture<DeleteTopicsResponse.DeletableTopicResult>> results = new ArrayList<>();
        for (String name : request.topicNames()) {
            results.add(admin.delete(name, AdminErrors.requester(context)).thenApply(result -> result.isOk()
                    ? new DeleteTopicsResponse.DeletableTopicResult(name, ErrorCode.NONE.code(), null)
                    : new DeleteTopicsResponse.DeletableTopicResult(name, AdminErrors.code(result, false), result.message())));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture<?>[]::new)).thenApply(done ->
                new DeleteTopicsResponse(ErrorCode.NONE.code(), null, results.stream().map(CompletableFuture::join).toList()));
    }
}
