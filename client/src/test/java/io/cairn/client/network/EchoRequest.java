package io.cairn.client.network;

import io.netty.buffer.ByteBuf;

/** A test request carrying raw bytes; the response is the raw response body. */
record EchoRequest(int apiKey, byte[] payload, boolean expectsResponse) implements ClientRequest<byte[]> {
    EchoRequest(int apiKey, byte[] payload) {
        this(apiKey, payload, true);
    }

    @Override
    public int apiVersion() {
        return 3;
    }

    @Override
    public void writeBody(ByteBuf out) {
        out.writeBytes(payload);
    }

    @Override
    public byte[] readResponse(ByteBuf body) {
        if (body == null) {
            return null;
        }
        byte[] b = new byte[body.readableBytes()];
        body.readBytes(b);
        return b;
    }
}
