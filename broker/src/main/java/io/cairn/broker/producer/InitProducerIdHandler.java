package io.cairn.broker.producer;

import io.cairn.protocol.message.InitProducerIdRequest;
import io.cairn.protocol.message.InitProducerIdResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Answers {@link InitProducerIdRequest}: always a new producer id with epoch 0, as Kafka does for
 * a null transactional id (a producer naming its current id and epoch to recover from an error
 * also gets a fresh id, which starts a fresh sequence everywhere). Transactional ids are refused ({@code INVALID_REQUEST}): Cairn has no transaction coordinator.
 *
 * <p>An id allocation may write the metadata store synchronously (once per block), so it runs on
 * {@code blockingExecutor} and answers on the connection's event loop. Stateless.
 */
public final class InitProducerIdHandler {
    private final ProducerIdManager producerIds;
    private final Executor blockingExecutor;

    public InitProducerIdHandler(ProducerIdManager producerIds, Executor blockingExecutor) {
        this.producerIds = Objects.requireNonNull(producerIds, "producerIds");
        this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    }

    public CompletableFuture<InitProducerIdResponse> handle(InitProducerIdRequest request, Executor loop) {
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(new InitProducerIdResponse(ErrorCode.INVALID_REQUEST.code(),
                    "transactional id '" + request.transactionalId() + "' given, but transactions are not supported;"
                            + " send a null transactional id for an idempotent producer", -1, (short) -1));
        }
        return CompletableFuture.supplyAsync(() -> new InitProducerIdResponse(ErrorCode.NONE.code(), null,
                producerIds.nextProducerId(), ProducerIdManager.INITIAL_EPOCH), blockingExecutor)
                .thenApplyAsync(response -> response, loop);
    }
}
