package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;

/**
 * InitProducerId response.
 *
 * @param errorCode     error
 * @param errorMessage  message, or null
 * @param producerId    the producer id, -1 on error
 * @param producerEpoch the epoch, -1 on error
 */
public record InitProducerIdResponse(short errorCode, String errorMessage, long producerId, short producerEpoch)
        implements ApiResponse {
    public static final Schema<InitProducerIdResponse> SCHEMA = Schema.of(InitProducerIdResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("producerId", Types.INT64, "The producer id, -1 on error."),
            Field.of("producerEpoch", Types.INT16, "The producer epoch, -1 on error."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.INIT_PRODUCER_ID;
    }
}
