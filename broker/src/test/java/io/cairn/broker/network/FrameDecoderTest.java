package io.cairn.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.FrameReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The broker's frame decoder on an EmbeddedChannel: frames cut from any split of the stream, with
 * the reads of a spanning frame going straight into its buffer (as {@link FrameReadAllocator}
 * routes them) or arriving in buffers of their own, byte for byte and in order; the memory a
 * partial frame may take; bad lengths.
 */
class FrameDecoderTest {
    private static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

    private final List<Frame> frames = new ArrayList<>();
    private final RecordingNetworkEvents events = new RecordingNetworkEvents();

    @Property(tries = 40)
    void everySplitOfTheStreamGivesTheSameFramesByteForByte(@ForAll long seed) {
        frames.clear(); // one instance serves every try
        Random random = new Random(seed);
        List<byte[]> values = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        ByteBuf stream = Unpooled.buffer();
        int count = 1 + random.nextInt(12);
        for (int i = 0; i < count; i++) {
            int length = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> random.nextInt(8);
                case 2 -> random.nextInt(2_000);
                case 3 -> random.nextInt(200_000);
                default -> random.nextInt(10) == 0 ? 1024 * 1024 + random.nextInt(2 * 1024 * 1024) : random.nextInt(70_000);
            };
            byte[] value = new byte[length];
            random.nextBytes(value);
            int type = random.nextInt(0x8000);
            values.add(value);
            types.add(type);
            stream.writeShort(type).writeInt(length).writeBytes(value);
        }
        FrameDecoder decoder = decoder();
        EmbeddedChannel channel = channel(decoder);
        try {
            boolean direct = random.nextBoolean();
            while (stream.isReadable()) {
                ByteBuf target = direct ? decoder.readTarget() : null;
                if (target != null) {
                    // as the socket would fill the lent buffer: up to its free space
                    int n = Math.min(stream.readableBytes(), 1 + random.nextInt(Math.min(target.writableBytes(), 600_000)));
                    target.writeBytes(stream, n);
                    channel.writeInbound(target);
                } else {
                    int n = Math.min(stream.readableBytes(), 1 + random.nextInt(random.nextBoolean() ? 10 : 400_000));
                    ByteBuf read = channel.alloc().directBuffer(n);
                    read.writeBytes(stream, n);
                    channel.writeInbound(read);
                }
                direct = random.nextInt(4) != 0;
            }
            assertThat(frames).hasSize(count);
            for (int i = 0; i < count; i++) {
                Frame frame = frames.get(i);
                assertThat(frame.type()).isEqualTo(types.get(i));
                byte[] got = new byte[frame.value().readableBytes()];
                frame.value().getBytes(frame.value().readerIndex(), got);
                assertThat(got).as("value of frame %d", i).isEqualTo(values.get(i));
            }
            assertThat(decoder.bufferedBytes()).isZero();
        } finally {
            frames.forEach(Frame::release);
            channel.finishAndReleaseAll();
            stream.release();
        }
    }

    @Test
    void theReadsOfASpanningFrameGoStraightIntoItsBuffer() {
        FrameDecoder decoder = decoder();
        EmbeddedChannel channel = channel(decoder);
        byte[] value = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(value);
        ByteBuf first = channel.alloc().directBuffer(1000);
        first.writeShort(0).writeInt(value.length).writeBytes(value, 0, 994);
        channel.writeInbound(first);
        int written = 994;
        long lastTargetAddress = 0;
        int lastTargetOffset = 0;
        while (written < value.length) {
            ByteBuf target = decoder.readTarget();
            assertThat(target).as("a lent slice of the frame's buffer while the frame is partial").isNotNull();
            lastTargetAddress = target.memoryAddress();
            lastTargetOffset = written;
            int n = Math.min(target.writableBytes(), value.length - written);
            target.writeBytes(value, written, n);
            written += n;
            channel.writeInbound(target);
        }
        assertThat(decoder.readTarget()).as("nothing to lend between frames").isNull();
        assertThat(frames).hasSize(1);
        ByteBuf got = frames.get(0).value();
        assertThat(ByteBufUtil.getBytes(got)).isEqualTo(value);
        // the buffer began at the first read's 1000 bytes and doubled up to the 3 MiB (copying what it
        // held); the last buffer is the frame's value itself, and its lent slices were released
        assertThat(got.memoryAddress() + lastTargetOffset).isEqualTo(lastTargetAddress);
        frames.forEach(Frame::release);
        assertThat(got.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void aClaimedLengthAloneReservesNoMoreThanTheReadBufferItArrivedIn() {
        FrameDecoder decoder = decoder();
        EmbeddedChannel channel = channel(decoder);
        ByteBuf header = channel.alloc().directBuffer(16 * 1024);
        header.writeShort(1).writeInt(MAX_FRAME_BYTES).writeBytes(new byte[10]);
        channel.writeInbound(header);
        ByteBuf target = decoder.readTarget();
        assertThat(target.writableBytes() + 10).isEqualTo(16 * 1024);
        target.release();
        assertThat(decoder.bufferedBytes()).isEqualTo(16);
        channel.close();
        assertThat(decoder.bufferedBytes()).as("dropped on close").isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void aLengthOverTheLimitClosesTheConnectionWhereverTheHeaderIsSplit() {
        for (int split = 1; split <= 6; split++) {
            frames.clear();
            events.badFrames.clear();
            FrameDecoder decoder = decoder();
            EmbeddedChannel channel = channel(decoder);
            ByteBuf good = frameBytes(channel, 3, new byte[] {1, 2, 3});
            ByteBuf bad = channel.alloc().directBuffer(6);
            bad.writeShort(4).writeInt(MAX_FRAME_BYTES + 1);
            channel.writeInbound(good, bad.readRetainedSlice(split));
            if (bad.isReadable()) {
                channel.writeInbound(bad.readRetainedSlice(bad.readableBytes()));
            }
            bad.release();
            assertThat(frames).extracting(Frame::type).containsExactly(3);
            assertThat(events.badFrames).singleElement().satisfies(e -> assertThat(e.length()).isEqualTo(MAX_FRAME_BYTES + 1L));
            assertThat(channel.isOpen()).isFalse();
            frames.forEach(Frame::release);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aFrameOfZeroLengthWhoseHeaderSpansReadsIsCut() {
        FrameDecoder decoder = decoder();
        EmbeddedChannel channel = channel(decoder);
        ByteBuf bytes = frameBytes(channel, 9, new byte[0]);
        channel.writeInbound(bytes.readRetainedSlice(4), bytes.readRetainedSlice(2));
        bytes.release();
        assertThat(frames).extracting(Frame::type).containsExactly(9);
        assertThat(frames.get(0).value().readableBytes()).isZero();
        frames.forEach(Frame::release);
        channel.finishAndReleaseAll();
    }

    private static ByteBuf frameBytes(EmbeddedChannel channel, int type, byte[] value) {
        ByteBuf buf = channel.alloc().directBuffer(6 + value.length);
        return buf.writeShort(type).writeInt(value.length).writeBytes(value);
    }

    private FrameDecoder decoder() {
        return new FrameDecoder(new FrameReader(MAX_FRAME_BYTES), null, events, 0);
    }

    private EmbeddedChannel channel(FrameDecoder decoder) {
        return new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                frames.add((Frame) msg);
            }
        });
    }
}
