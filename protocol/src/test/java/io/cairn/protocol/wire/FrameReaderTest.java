package io.cairn.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private final FrameReader reader = new FrameReader(1024);

    private static ByteBuf frame(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = ALLOC.buffer();
        buf.writeShort(type).writeInt(bytes.length).writeBytes(bytes);
        return buf;
    }

    @Test
    void readsOneFrameAsARetainedSliceWithoutCopying() {
        ByteBuf in = frame(3, "hello");
        try {
            FrameReadResult result = reader.read(in);
            assertThat(result.kind()).isEqualTo(FrameReadResult.Kind.FRAME);
            Frame frame = (Frame) result;
            assertThat(frame.type()).isEqualTo(3);
            assertThat(frame.isResponse()).isFalse();
            assertThat(frame.value().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(in.isReadable()).isFalse();
            // the value shares the cumulation's memory: a write through the cumulation shows in it
            in.setByte(FrameDescriptor.HEADER_LENGTH, 'j');
            assertThat(frame.value().toString(StandardCharsets.UTF_8)).isEqualTo("jello");
            assertThat(in.refCnt()).isEqualTo(2);
            frame.release();
            assertThat(in.refCnt()).isEqualTo(1);
        } finally {
            in.release();
        }
    }

    @Test
    void needsMoreBytesForEveryStrictPrefixAndConsumesNothing() {
        ByteBuf whole = frame(FrameDescriptor.responseType(1), "0123456789");
        try {
            for (int n = 0; n < whole.readableBytes(); n++) {
                ByteBuf prefix = whole.retainedSlice(0, n);
                try {
                    assertThat(reader.read(prefix)).as("prefix of %d bytes", n).isSameAs(FrameReadResult.NEED_MORE_BYTES);
                    assertThat(prefix.readerIndex()).isZero();
                } finally {
                    prefix.release();
                }
            }
        } finally {
            whole.release();
        }
    }

    @Test
    void readsBackToBackFramesAndLeavesAPartialOne() {
        ByteBuf in = ALLOC.buffer();
        ByteBuf a = frame(0, "a");
        ByteBuf b = frame(FrameDescriptor.responseType(18), "");
        ByteBuf c = frame(1, "ccc");
        in.writeBytes(a).writeBytes(b).writeBytes(c, 0, c.readableBytes() - 1);
        a.release();
        b.release();
        c.release();
        try {
            Frame first = (Frame) reader.read(in);
            Frame second = (Frame) reader.read(in);
            assertThat(first.value().readableBytes()).isEqualTo(1);
            assertThat(second.isResponse()).isTrue();
            assertThat(second.apiKeyId()).isEqualTo(18);
            assertThat(second.value().readableBytes()).isZero();
            int before = in.readerIndex();
            assertThat(reader.read(in)).isSameAs(FrameReadResult.NEED_MORE_BYTES);
            assertThat(in.readerIndex()).isEqualTo(before);
            in.writeByte('c');
            Frame third = (Frame) reader.read(in);
            assertThat(third.value().toString(StandardCharsets.UTF_8)).isEqualTo("ccc");
            first.release();
            second.release();
            third.release();
        } finally {
            in.release();
        }
    }

    @Test
    void acceptsALengthExactlyAtTheLimit() {
        ByteBuf in = ALLOC.buffer();
        in.writeShort(0).writeInt(1024).writeZero(1024);
        try {
            Frame frame = (Frame) reader.read(in);
            assertThat(frame.value().readableBytes()).isEqualTo(1024);
            frame.release();
        } finally {
            in.release();
        }
    }

    @Test
    void rejectsALengthOverTheLimitBeforeTheValueArrives() {
        // only the 6-byte header is present: the reader must not wait for (or allocate) 1025 bytes
        ByteBuf in = Unpooled.buffer(6).writeShort(7).writeInt(1025);
        FrameReadResult result = reader.read(in);
        assertThat(result.kind()).isEqualTo(FrameReadResult.Kind.ERROR);
        FrameError error = (FrameError) result;
        assertThat(error.reason()).isEqualTo(FrameError.Reason.LENGTH_OVER_MAX);
        assertThat(error.length()).isEqualTo(1025);
        assertThat(error.message()).isEqualTo("frame type=7 length=1025 exceeds max.frame.bytes=1024");
        assertThat(in.readerIndex()).isZero();
        in.release();
    }

    @Test
    void rejectsALengthThatIsNegativeAsAnI32() {
        ByteBuf in = Unpooled.buffer(6).writeShort(0x8001).writeInt(-1);
        FrameError error = (FrameError) reader.read(in);
        assertThat(error.reason()).isEqualTo(FrameError.Reason.LENGTH_OUT_OF_RANGE);
        assertThat(error.length()).isEqualTo(0xFFFF_FFFFL);
        assertThat(error.type()).isEqualTo(0x8001);
        assertThat(error.message()).contains("length=4294967295", "-1 as i32", "expected: 0..1024");
        in.release();
    }

    @Test
    void rejectsHugeLengthsEvenWithTheLargestLimit() {
        FrameReader lenient = new FrameReader(Integer.MAX_VALUE);
        ByteBuf in = Unpooled.buffer(6).writeShort(0).writeInt(0x8000_0000);
        assertThat(((FrameError) lenient.read(in)).reason()).isEqualTo(FrameError.Reason.LENGTH_OUT_OF_RANGE);
        in.release();
    }
}
