package io.cairn.client.network;

import io.cairn.protocol.message.ApiRequest;
import io.cairn.protocol.message.ApiResponse;
import io.cairn.protocol.message.RequestCodec;
import io.cairn.protocol.message.ResponseCodec;
import io.cairn.protocol.wire.ApiKey;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.List;

/**
 * A protocol message sent through the {@link NetworkClient}: encoded with the protocol module's
 * {@link RequestCodec} (record bytes travel as their own chunks, not copied into the frame) and
 * answered by the {@link ResponseCodec}'s decoding in the same version. Immutable.
 *
 * @param <R> the response message type
 * @param body the request message
 * @param version the API version to speak
 * @param responseType the response message class
 * @param expectsResponse false only for a produce with acks=0
 */
public record WireRequest<R extends ApiResponse>(ApiRequest body, int version, Class<R> responseType,
                                                 boolean expectsResponse) implements ClientRequest<R> {
    /** A request answered by a response of {@code responseType}. */
    public static <R extends ApiResponse> WireRequest<R> of(ApiRequest body, int version, Class<R> responseType) {
        return new WireRequest<>(body, version, responseType, true);
    }

    @Override
    public int apiKey() {
        return body.apiKey().id();
    }

    @Override
    public int apiVersion() {
        return version;
    }

    @Override
    public ByteBuf encode(ByteBufAllocator alloc, int correlationId, String clientId) {
        EncodedFrame frame = RequestCodec.encode(alloc, body, version, correlationId, clientId);
        List<Object> chunks = frame.chunks();
        if (chunks.size() == 1 && chunks.get(0) instanceof ByteBuf only) {
            return only;
        }
        CompositeByteBuf out = alloc.compositeBuffer(chunks.size());
        for (Object chunk : chunks) {
            if (!(chunk instanceof ByteBuf buf)) {
                out.release();
                frame.release();
                throw new IllegalStateException("client request " + describe() + " encoded a file chunk");
            }
            out.addComponent(true, buf);
        }
        return out;
    }

    @Override
    public R decode(int frameType, ByteBuf body) {
        ApiResponse response = ResponseCodec.decode(new Frame(frameType, body), version);
        if (!responseType.isInstance(response)) {
            ResponseCodec.release(response);
            throw new IllegalStateException("expected " + responseType.getSimpleName() + " but decoded "
                    + response.getClass().getSimpleName());
        }
        return responseType.cast(response);
    }

    @Override
    public String describe() {
        ApiKey key = body.apiKey();
        return key.displayName() + " v" + version;
    }
}
