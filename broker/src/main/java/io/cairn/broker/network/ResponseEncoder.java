package io.cairn.broker.network;

import io.cairn.protocol.FileSlice;
import io.cairn.protocol.wire.EncodedFrame;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Turns an {@link EncodedFrame} into what the socket writes: its ByteBuf chunks untouched
 * (header and fields, sent with gathering writes) and each {@link FileSlice} chunk as a
 * {@link SharedFileRegion}, which the transport sends with sendfile, so record bytes served
 * from a log file never enter the JVM heap.
 *
 * <p>Stateless and {@link ChannelHandler.Sharable}: one instance serves every connection.
 */
@ChannelHandler.Sharable
public final class ResponseEncoder extends MessageToMessageEncoder<EncodedFrame> {

    public ResponseEncoder() {
        super(EncodedFrame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, EncodedFrame frame, List<Object> out) {
        List<Object> chunks = frame.chunks();
        for (int i = 0; i < chunks.size(); i++) {
            Object chunk = chunks.get(i);
            out.add(chunk instanceof FileSlice slice ? new SharedFileRegion(slice) : chunk);
        }
    }
}
