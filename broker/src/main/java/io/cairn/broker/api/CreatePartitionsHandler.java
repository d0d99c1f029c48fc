package io.cairn.broker.api;

import io.cairn.broker.admin.TopicAdmin;
import io.cairn.protocol.message.CreatePartitionsRequest;
import io.cairn.protocol.message.CreatePartitionsResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * CreatePartitions: grows each topic to its requested total through {@link TopicAdmin}. A count
 * that is not an increase, or above {@code max.partitions.per.topic}, is INVALID_PARTITIONS;
 * internal topics are refused (POLICY_VIOLATION) because group coordination depends on their
 * partition count.
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse> {
    private final TopicAdmin admin;

    public CreatePartitionsHandler(TopicAdmin admin) {
        this.admin = admin;
    }

    @Override
    public CompletableFuture<CreatePartitionsResponse> handle(RequestContext context, CreatePartitionsRequest request) {
        List<CompletableFuture<CreatePartitionsResponse.CreatePartitionsTopicResult>> results = new ArrayList<>();
        for (CreatePartitionsRequest.CreatePartitionsTopic topic : request.topics()) {
            results.add(admin.addPartitions(topic.name(), topic.count(), request.validateOnly(), AdminErrors.requester(context))
                    .thenApply(result -> result.isOk()
                            ? new CreatePartitionsResponse.CreatePartitionsTopicResult(topic.name(), ErrorCode.NONE.code(), null)
                            : new CreatePartitionsResponse.CreatePartitionsTopicResult(topic.name(),
                                    AdminErrors.code(result, false), result.message())));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture<?>[]::new)).thenApply(done ->
                new CreatePartitionsResponse(ErrorCode.NONE.code(), null, results.stream().map(CompletableFuture::join).toList()));
    }
}
