package io.cairn.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.protocol.types.DecodeError;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.types.MessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class HeaderTest {

    @Test
    void requestHeaderRoundTripsAndLeavesTheBody() {
        ByteBuf value = Unpooled.buffer();
        new RequestHeader(3, 65535, -7, "app-1").write(MessageWriter.inline(value));
        value.writeByte(42);
        assertThat(value.readableBytes()).isEqualTo(FrameDescriptor.REQUEST_CLIENT_ID_OFFSET + 2 + 5 + 1);
        RequestHeader header = RequestHeader.read(new Frame(3, value));
        assertThat(header).isEqualTo(new RequestHeader(3, 65535, -7, "app-1"));
        assertThat(header.apiKey()).isEqualTo(ApiKey.METADATA);
        assertThat(value.readByte()).isEqualTo((byte) 42);
        value.release();
    }

    @Test
    void requestHeaderWithNullClientIdAndUnknownApiKey() {
        ByteBuf value = Unpooled.buffer();
        new RequestHeader(999, 0, 1, null).write(MessageWriter.inline(value));
        assertThat(value.readableBytes()).isEqualTo(FrameDescriptor.REQUEST_HEADER_MIN_LENGTH);
        RequestHeader header = RequestHeader.read(new Frame(999, value));
        assertThat(header.clientId()).isNull();
        assertThat(header.apiKey()).isNull();
        assertThat(header.describe()).isEqualTo("api key 999 v0 (correlationId=1, clientId=null)");
        value.release();
    }

    @Test
    void truncatedRequestHeaderNamesTheField() {
        ByteBuf value = Unpooled.buffer().writeShort(0).writeShort(1);
        assertThatThrownBy(() -> RequestHeader.read(new Frame(0, value)))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.error()).isEqualTo(DecodeError.TRUNCATED))
                .hasMessage("request header: field correlationId: int32 needs 4 bytes, 2 remaining");
        value.release();
    }

    @Test
    void responseFrameIsNotARequest() {
        ByteBuf value = Unpooled.buffer().writeZero(8);
        assertThatThrownBy(() -> RequestHeader.read(new Frame(0x8003, value)))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.error()).isEqualTo(DecodeError.WRONG_FRAME_TYPE));
        assertThatThrownBy(() -> ResponseHeader.read(new Frame(3, value)))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.error()).isEqualTo(DecodeError.WRONG_FRAME_TYPE));
        value.release();
    }

    @Test
    void responseHeaderRoundTrips() {
        ByteBuf value = Unpooled.buffer();
        new ResponseHeader(1, 12345).write(MessageWriter.inline(value));
        assertThat(value.readableBytes()).isEqualTo(FrameDescriptor.RESPONSE_BODY_OFFSET);
        assertThat(ResponseHeader.read(new Frame(0x8001, value))).isEqualTo(new ResponseHeader(1, 12345));
        value.release();
    }

    @Test
    void apiKeysAndErrorCodesHaveKafkaNumbers() {
        assertThat(ApiKey.forId(0)).isEqualTo(ApiKey.PRODUCE);
        assertThat(ApiKey.forId(68)).isEqualTo(ApiKey.CONSUMER_GROUP_HEARTBEAT);
        assertThat(ApiKey.forId(4)).isNull();
        assertThat(ApiKey.forId(-1)).isNull();
        assertThat(ApiKey.forId(0x7FFF)).isNull();
        assertThat(ErrorCode.forCode(56)).isEqualTo(ErrorCode.STORAGE_ERROR);
        assertThat(ErrorCode.forCode(-1)).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
        assertThat(ErrorCode.forCode(9999)).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
        assertThat(ErrorCode.forCode(-2)).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
        assertThat(ErrorCode.NOT_LEADER_OR_FOLLOWER.retriable()).isTrue();
        assertThat(ErrorCode.INVALID_REQUEST.retriable()).isFalse();
        for (ErrorCode e : ErrorCode.values()) {
            assertThat(ErrorCode.forCode(e.code())).isEqualTo(e);
        }
        for (ApiKey k : ApiKey.values()) {
            assertThat(ApiKey.forId(k.id())).isEqualTo(k);
        }
    }
}
