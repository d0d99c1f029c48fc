package io.cairn.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.protocol.fuzz.InputBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link FrameReader} (Jazzer). In {@code mvn verify} the target
 * replays its committed seeds ({@code src/test/resources/io/cairn/protocol/wire/FrameReaderFuzzTestInputs});
 * {@code reliability/fuzz.sh} fuzzes it for real.
 *
 * <p>Input: {@code maxFrameBytes:u16 chunk:u8 stream...}. Whatever the stream holds, the reader
 * never throws, never hands out a value longer than the limit, consumes exactly header + value
 * for a frame and nothing otherwise, and cuts the same frames whether the stream arrives at once
 * or {@code chunk} bytes at a time (as a socket delivers it).
 */
class FrameReaderFuzzTest {
    static {
        // Class loading and first-call costs (AssertJ, Netty) are not the input's: pay them before measuring.
        byte[] warmUp = {0, 18, 0, 0, 0, 2, 1, 2, 0, 18, 0, 0, 0, 9, 0, 3, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        for (int round = 0; round < 3; round++) {
            cutAll(new FrameReader(4), warmUp, 1);
            cutAll(new FrameReader(16), warmUp, warmUp.length);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void framesAreCutOrRefusedNeverMisread(byte[] input) {
        if (input.length < 3) {
            return;
        }
        int maxFrameBytes = ((input[0] & 0xFF) << 8) | (input[1] & 0xFF);
        int chunk = 1 + (input[2] & 0xFF);
        byte[] stream = java.util.Arrays.copyOfRange(input, 3, input.length);
        InputBudget.run("FrameReader", input.length, () -> {
            FrameReader reader = new FrameReader(maxFrameBytes);
            List<String> whole = cutAll(reader, stream, stream.length);
            List<String> trickled = cutAll(reader, stream, chunk);
            assertThat(trickled).as("frames cut from %d-byte chunks", chunk).isEqualTo(whole);
        });
    }

    /** Feeds {@code stream} in pieces of {@code chunk} bytes into one cumulation, as a decoder would. */
    private static List<String> cutAll(FrameReader reader, byte[] stream, int chunk) {
        List<String> cut = new ArrayList<>();
        ByteBuf cumulation = Unpooled.buffer();
        try {
            int fed = 0;
            do {
                int n = Math.min(chunk, stream.length - fed);
                cumulation.writeBytes(stream, fed, n);
                fed += n;
                if (!drain(reader, cumulation, cut)) {
                    return cut;
                }
            } while (fed < stream.length);
            return cut;
        } finally {
            cumulation.release();
        }
    }

    /** Reads frames until more bytes are needed (true) or the stream is refused (false). */
    private static boolean drain(FrameReader reader, ByteBuf in, List<String> cut) {
        while (true) {
            int before = in.readerIndex();
            int readable = in.readableBytes();
            FrameReadResult result = reader.read(in);
            if (result instanceof Frame frame) {
                try {
                    int length = frame.value().readableBytes();
                    assertThat(length).isLessThanOrEqualTo(reader.maxFrameBytes());
                    assertThat(in.readerIndex() - before).isEqualTo(FrameDescriptor.HEADER_LENGTH + length);
                    assertThat(frame.type()).isEqualTo(in.getUnsignedShort(before));
                    cut.add("frame type=" + frame.type() + " length=" + length + " hash=" + frame.value().hashCode());
                } finally {
                    frame.release();
                }
            } else if (result instanceof FrameError error) {
                assertThat(in.readerIndex()).as("a refused frame consumes nothing").isEqualTo(before);
                assertThat(error.length()).isGreaterThan(reader.maxFrameBytes());
                cut.add("error " + error.reason() + " length=" + error.length());
                return false;
            } else {
                assertThat(result).isSameAs(FrameReadResult.NEED_MORE_BYTES);
                assertThat(in.readerIndex()).as("waiting consumes nothing").isEqualTo(before);
                if (readable >= FrameDescriptor.HEADER_LENGTH) {
                    long claimed = in.getUnsignedInt(before + FrameDescriptor.LENGTH_OFFSET);
                    assertThat(claimed).as("waits only for a frame that fits the limit").isLessThanOrEqualTo(reader.maxFrameBytes());
                    assertThat(readable - FrameDescriptor.HEADER_LENGTH).isLessThan((int) claimed);
                }
                return true;
            }
        }
    }
}
