package io.cairn.broker.network;

import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.FrameError;
import io.cairn.protocol.wire.FrameReadResult;
import io.cairn.protocol.wire.FrameReader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts a connection's byte stream into {@link Frame}s with the protocol's {@link FrameReader}.
 *
 * <pre>
 * frame := type:u16  length:u32  value:byte[length]
 * </pre>
 *
 * <p>The length field is checked against {@code max.frame.bytes} as soon as the 6-byte header
 * has arrived, before any of the value is waited for: a frame claiming more (including a
 * "negative" length, one with the top bit set) makes the decoder drop everything it holds,
 * ignore all further input and close the connection. No buffer is ever sized from the claimed
 * length; the receive buffer only grows with bytes that actually arrived, so memory per
 * connection stays below {@code max.frame.bytes} plus one socket read.
 *
 * <p>Each frame's value is a retained slice of the receive buffer (no copy). One instance per
 * connection, confined to its event loop.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final FrameReader reader;
    private final Connection connection;
    private final NetworkEvents events;
    private boolean discarding;

    FrameDecoder(FrameReader reader, Connection connection, NetworkEvents events) {
        this.reader = reader;
        this.connection = connection;
        this.events = events;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        FrameReadResult result = reader.read(in);
        if (result instanceof Frame frame) {
            out.add(frame);
        } else if (result instanceof FrameError error) {
            discarding = true;
            in.skipBytes(in.readableBytes());
            ctx.channel().config().setAutoRead(false);
            events.badFrame(connection, error);
            ctx.close();
        }
        // else NEED_MORE_BYTES: ByteToMessageDecoder calls again once more bytes arrive
    }
}
