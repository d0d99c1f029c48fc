package io.cairn.client.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** A test request carrying raw bytes in a hand-written frame; the response is the raw response body. */
record EchoRequest(int apiKey, byte[] payload, boolean expectsResponse) implements ClientRequest<byte[]> {
    EchoRequest(int apiKey, byte[] payload) {
        this(apiKey, payload, true);
    }

    @Override
    public int apiVersion() {
        return 3;
    }

    @Override
    public ByteBuf encode(ByteBufAllocator alloc, int correlationId, String clientId) {
        ByteBuf out = alloc.buffer();
        out.writeShort(apiKey);
        out.writeInt(0);
        out.writeShort(apiVersion());
        out.writeInt(correlationId);
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        out.writeShort(id.length);
        out.writeBytes(id);
        out.writeBytes(payload);
        out.setInt(2, out.writerIndex() - 6);
        return out;
    }

    @Override
    public byte[] decode(int frameType, ByteBuf body) {
        byte[] b = new byte[body.readableBytes()];
        body.readBytes(b);
        return b;
    }
}
