package io.cairn.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.FileSlice;
import io.cairn.protocol.types.RecordBytes;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.FrameDescriptor;
import io.cairn.protocol.wire.FrameReader;
import io.cairn.protocol.wire.ResponseHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Fetch response whose records come from a file: chunks for sendfile, then decoded back. */
class FetchZeroCopyTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @Test
    void fileSlicesTravelAsChunksAndDecodeToTheSameBytes(@TempDir Path dir) throws Exception {
        byte[] fileBytes = new byte[10_000];
        new Random(1).nextBytes(fileBytes);
        byte[] memoryBytes = "in-memory batch bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(dir.resolve("00000000000000000000.log"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            channel.write(ByteBuffer.wrap(fileBytes), 0);
            FileSlice first = new FileSlice(channel, 100, 4000);
            FileSlice second = new FileSlice(channel, 9000, 1000);
            FileSlice third = new FileSlice(channel, 0, 10);
            ByteBuf memory = Unpooled.wrappedBuffer(memoryBytes);

            FetchResponse response = new FetchResponse((short) 0, null, List.of(
                    new FetchResponse.TopicResponse("orders", List.of(
                            partition(0, RecordBytes.of(first)),
                            partition(1, null),
                            partition(2, RecordBytes.of(memory)),
                            partition(3, RecordBytes.of(List.of(RecordBytes.of(second), RecordBytes.of(third))))))));

            EncodedFrame encoded = ResponseCodec.encode(ALLOC, response, 0, 42);

            List<Object> fileChunks = new ArrayList<>();
            long total = 0;
            for (Object chunk : encoded.chunks()) {
                if (chunk instanceof FileSlice slice) {
                    fileChunks.add(slice);
                    total += slice.length();
                } else {
                    total += ((ByteBuf) chunk).readableBytes();
                }
            }
            assertThat(fileChunks).as("the broker's FileSlices pass through as they are").containsExactly(first, second, third);
            assertThat(fileChunks.get(0)).isSameAs(first);
            assertThat(total).isEqualTo(encoded.frameLength());
            assertThat(memory.refCnt()).as("the encoder retained the in-memory records instead of copying").isEqualTo(2);

            ByteBuf wire = encoded.toByteBuf(ALLOC);
            assertThat(memory.refCnt()).isEqualTo(1);
            assertThat(wire.getUnsignedInt(FrameDescriptor.LENGTH_OFFSET)).isEqualTo(encoded.frameLength() - FrameDescriptor.HEADER_LENGTH);
            Frame frame = (Frame) new FrameReader(FrameDescriptor.DEFAULT_MAX_FRAME_BYTES).read(wire);
            assertThat(ResponseHeader.read(frame).correlationId()).isEqualTo(42);
            FetchResponse decoded = (FetchResponse) ResponseCodec.decode(frame, 0);
            frame.release();
            wire.release();

            List<FetchResponse.PartitionData> partitions = decoded.topics().get(0).partitions();
            assertThat(bytes(partitions.get(0).records())).isEqualTo(Arrays.copyOfRange(fileBytes, 100, 4100));
            assertThat(partitions.get(1).records()).isNull();
            assertThat(bytes(partitions.get(2).records())).isEqualTo(memoryBytes);
            byte[] expected3 = new byte[1010];
            System.arraycopy(fileBytes, 9000, expected3, 0, 1000);
            System.arraycopy(fileBytes, 0, expected3, 1000, 10);
            assertThat(bytes(partitions.get(3).records())).isEqualTo(expected3);
            assertThat(partitions.get(3).records()).isInstanceOf(RecordBytes.InMemory.class);

            decoded.release();
            assertThat(partitions.get(0).records().buffer().refCnt()).isZero();
            memory.release();
        }
    }

    private static FetchResponse.PartitionData partition(int index, RecordBytes records) {
        return new FetchResponse.PartitionData(index, (short) 0, 500L, 500L, 0L, records);
    }

    private static byte[] bytes(RecordBytes records) {
        return ByteBufUtil.getBytes(records.buffer());
    }
}
