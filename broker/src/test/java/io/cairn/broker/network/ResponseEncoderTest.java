package io.cairn.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.FileSlice;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.types.RecordBytes;
import io.cairn.protocol.wire.EncodedFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes to the socket for a response: ByteBufs for fields, a file region (sendfile) for records in a file. */
class ResponseEncoderTest {
    @TempDir
    Path dir;

    @Test
    void recordsInAFileGoOutAsAFileRegionThatLeavesTheChannelOpen() throws Exception {
        Path log = dir.resolve("00000000000000000000.log");
        Files.write(log, new byte[4096]);
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            FetchResponse response = new FetchResponse((short) 0, null, List.of(new FetchResponse.TopicResponse("t", List.of(
                    new FetchResponse.PartitionData(0, (short) 0, 10L, 10L, 0L,
                            RecordBytes.of(new FileSlice(channel, 1024, 2048)))))));
            EncodedFrame frame = ApiSpecs.FETCH.encodeResponse(ByteBufAllocator.DEFAULT, response, 0, 7);
            EmbeddedChannel embedded = new EmbeddedChannel(new ResponseEncoder());

            embedded.writeOutbound(frame);

            List<Object> written = new ArrayList<>();
            for (Object o; (o = embedded.readOutbound()) != null; ) {
                written.add(o);
            }
            List<FileRegion> regions = written.stream().filter(FileRegion.class::isInstance).map(FileRegion.class::cast).toList();
            assertThat(regions).singleElement().satisfies(region -> {
                assertThat(region).isInstanceOf(DefaultFileRegion.class);
                assertThat(region.position()).isEqualTo(1024);
                assertThat(region.count()).isEqualTo(2048);
            });
            long bufferBytes = written.stream().filter(ByteBuf.class::isInstance).mapToLong(o -> ((ByteBuf) o).readableBytes()).sum();
            assertThat(bufferBytes + 2048).isEqualTo(frame.frameLength());
            assertThat(bufferBytes).as("no record bytes were copied into buffers").isLessThan(200);

            for (Object o : written) {
                io.netty.util.ReferenceCountUtil.release(o);
            }
            assertThat(regions.get(0).refCnt()).isZero();
            assertThat(channel.isOpen()).as("releasing the region must not close storage's channel").isTrue();
            assertThat(embedded.finish()).isFalse();
        }
    }

    @Test
    void aFrameWithoutFileSlicesPassesItsBuffersThrough() {
        EncodedFrame frame = ApiSpecs.FETCH.encodeResponse(ByteBufAllocator.DEFAULT,
                new FetchResponse((short) 0, null, List.of()), 0, 1);
        List<Object> chunks = List.copyOf(frame.chunks());
        EmbeddedChannel embedded = new EmbeddedChannel(new ResponseEncoder());

        embedded.writeOutbound(frame);

        for (Object chunk : chunks) {
            Object out = embedded.readOutbound();
            assertThat(out).isSameAs(chunk);
            io.netty.util.ReferenceCountUtil.release(out);
        }
        Object rest = embedded.readOutbound();
        assertThat(rest).isNull();
    }
}
