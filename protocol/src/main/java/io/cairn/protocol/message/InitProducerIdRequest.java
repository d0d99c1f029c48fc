package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;

/**
 * InitProducerId request: a producer id and epoch for idempotent producing.
 *
 * @param transactionalId      null for an idempotent (non-transactional) producer
 * @param transactionTimeoutMs transaction timeout; ignored without a transactional id
 * @param producerId           the current producer id to bump, or -1 for a new one
 * @param producerEpoch        the current epoch, or -1 for a new producer id
 */
public record InitProducerIdRequest(String transactionalId, int transactionTimeoutMs, long producerId, short producerEpoch)
        implements ApiRequest {
    public static final Schema<InitProducerIdRequest> SCHEMA = Schema.of(InitProducerIdRequest.class,
            Field.of("transactionalId", Types.NULLABLE_STRING,
                    "The transactional id, or null for an idempotent producer (the only kind Cairn supports so far)."),
            Field.of("transactionTimeoutMs", Types.INT32, "The transaction timeout; ignored without a transactional id."),
            Field.of("producerId", Types.INT64, "The producer id to bump the epoch of, or -1 for a new producer id."),
            Field.of("producerEpoch", Types.INT16, "The current epoch of producerId, or -1 for a new producer id."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.INIT_PRODUCER_ID;
    }
}
