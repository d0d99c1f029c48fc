package io.cairn.client.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.protocol.wire.FrameDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ResponseFrameDecoderTest {
    private static final BrokerAddress BROKER = new BrokerAddress("broker-7", 9092);
    private static final int MAX_VALUE_BYTES = 4096;

    private static byte[] frame(int type, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(FrameDescriptor.HEADER_LENGTH + value.length);
        b.putShort((short) type).putInt(value.length).put(value);
        return b.array();
    }

    private static byte[] value(int length, int seed) {
        byte[] v = new byte[length];
        for (int i = 0; i < length; i++) {
            v[i] = (byte) (seed * 31 + i);
        }
        return v;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in reads that end at each of {@code cuts}; returns the frames passed on, as arrays. */
    private static List<byte[]> decode(byte[] bytes, int... cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseFrameDecoder(BROKER, MAX_VALUE_BYTES));
        int from = 0;
        for (int cut : cuts) {
            ch.writeInbound(Unpooled.copiedBuffer(bytes, from, cut - from));
            from = cut;
        }
        ch.writeInbound(Unpooled.copiedBuffer(bytes, from, bytes.length - from));
        List<byte[]> frames = new ArrayList<>();
        for (ByteBuf f; (f = ch.readInbound()) != null; ) {
            byte[] a = new byte[f.readableBytes()];
            f.readBytes(a);
            f.release();
            frames.add(a);
        }
        assertThat(ch.finish()).as("nothing left after the frames were read").isFalse();
        return frames;
    }

    @Test
    void manyFramesInOneReadAreEachPassedOn() {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            frames.add(frame(0x8000 | i, value(i * 7, i)));
        }
        List<byte[]> out = decode(concat(frames));
        assertThat(out).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(out.get(i)).as("frame %d", i).isEqualTo(frames.get(i));
        }
    }

    @Test
    void framesSplitAtEveryByteAreReassembled() {
        byte[] first = frame(0x8001, value(300, 1));
        byte[] second = frame(0x8002, value(0, 2));
        byte[] third = frame(0x8003, value(5, 3));
        byte[] all = concat(List.of(first, second, third));
        for (int cut = 1; cut < all.length; cut++) {
            assertThat(decode(all, cut)).as("one cut at byte %d", cut).containsExactly(first, second, third);
        }
    }

    @Test
    void frameDeliveredOneByteAtATimeIsReassembled() {
        byte[] f = frame(0x8004, value(1000, 4));
        int[] cuts = new int[f.length - 1];
        Arrays.setAll(cuts, i -> i + 1);
        assertThat(decode(f, cuts)).containsExactly(f);
    }

    @Test
    void frameOfExactlyTheLimitIsAccepted() {
        byte[] f = frame(0x8005, value(MAX_VALUE_BYTES, 5));
        assertThat(decode(f, 3, 100)).containsExactly(f);
        assertThat(decode(f)).containsExactly(f);
    }

    @Test
    void oversizeFrameFailsBeforeAnythingIsAllocatedAndNamesTheBrokerAndTheLimit() {
        for (int cut : new int[] {2, FrameDescriptor.HEADER_LENGTH, 20}) {
            EmbeddedChannel ch = new EmbeddedChannel(new ResponseFrameDecoder(BROKER, MAX_VALUE_BYTES));
            ByteBuffer header = ByteBuffer.allocate(FrameDescriptor.HEADER_LENGTH + 20);
            header.putShort((short) 0x8001).putInt(MAX_VALUE_BYTES + 1);
            byte[] bytes = header.array();
            assertThatThrownBy(() -> {
                ch.writeInbound(Unpooled.copiedBuffer(bytes, 0, cut));
                ch.writeInbound(Unpooled.copiedBuffer(bytes, cut, bytes.length - cut));
                ch.checkException();
            }).as("cut at %d", cut).isInstanceOf(TooLongFrameException.class)
                    .hasMessageContaining("broker-7:9092").hasMessageContaining(String.valueOf(MAX_VALUE_BYTES + 1))
                    .hasMessageContaining("max.response.frame.bytes=" + MAX_VALUE_BYTES);
            ch.writeInbound(Unpooled.copiedBuffer(frame(0x8001, value(3, 1))));
            assertThat(ch.<Object>readInbound()).as("nothing is decoded after a failure").isNull();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void lengthAboveTheSignedIntRangeIsRejected() {
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseFrameDecoder(BROKER, Integer.MAX_VALUE));
        ByteBuf in = Unpooled.buffer().writeShort(0x8001).writeInt(-1);
        assertThatThrownBy(() -> {
            ch.writeInbound(in);
            ch.checkException();
        }).isInstanceOf(TooLongFrameException.class).hasMessageContaining("4294967295");
        ch.finishAndReleaseAll();
    }

    @Test
    void partialFrameIsReleasedWhenTheChannelCloses() {
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseFrameDecoder(BROKER, MAX_VALUE_BYTES));
        byte[] f = frame(0x8001, value(100, 1));
        ch.writeInbound(Unpooled.copiedBuffer(f, 0, 50));
        assertThat(ch.finish()).isFalse(); // the paranoid leak detector reports the partial buffer if it leaked
    }

    @Property(tries = 200)
    void anySplitOfAnyFramesYieldsTheSameFrames(@ForAll @Size(min = 1, max = 8) List<@IntRange(max = 600) Integer> lengths,
                                               @ForAll @Size(max = 12) List<@IntRange(min = 1, max = 5000) Integer> cutPoints) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < lengths.size(); i++) {
            frames.add(frame(0x8000 | i, value(lengths.get(i), i)));
        }
        byte[] all = concat(frames);
        int[] cuts = cutPoints.stream().mapToInt(c -> c % all.length).filter(c -> c > 0).sorted().distinct().toArray();
        assertThat(decode(all, cuts)).containsExactlyElementsOf(frames);
    }
}
