package io.cairn.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.message.InitProducerIdRequest;
import io.cairn.protocol.message.InitProducerIdResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InitProducerIdHandlerTest {
    private final ExecutorService blocking = Executors.newSingleThreadExecutor();
    private final ExecutorService loop = Executors.newSingleThreadExecutor();
    private final MemoryProducerIdStore store = new MemoryProducerIdStore();
    private final InitProducerIdHandler handler = new InitProducerIdHandler(new ProducerIdManager(store, 10), blocking);

    @AfterEach
    void tearDown() {
        blocking.shutdownNow();
        loop.shutdownNow();
    }

    private InitProducerIdResponse init(InitProducerIdRequest request) throws Exception {
        return handler.handle(request, loop).get(5, TimeUnit.SECONDS);
    }

    @Test
    void everyRequestGetsAFreshIdAtEpochZero() throws Exception {
        InitProducerIdResponse first = init(new InitProducerIdRequest(null, 0, -1, (short) -1));
        InitProducerIdResponse second = init(new InitProducerIdRequest(null, 0, first.producerId(), (short) 0));
        assertThat(first.errorCode()).isEqualTo(ErrorCode.NONE.code());
        assertThat(first.producerEpoch()).isZero();
        assertThat(second.producerId()).isNotEqualTo(first.producerId());
        assertThat(second.producerEpoch()).isZero();
    }

    @Test
    void transactionalIdIsRefused() throws Exception {
        InitProducerIdResponse response = init(new InitProducerIdRequest("tx-1", 1000, -1, (short) -1));
        assertThat(response.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST.code());
        assertThat(response.errorMessage()).contains("tx-1", "not supported");
        assertThat(response.producerId()).isEqualTo(-1);
        assertThat(store.writes()).isZero();
    }
}
