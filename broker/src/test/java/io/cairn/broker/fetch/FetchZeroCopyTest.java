package io.cairn.broker.fetch;

import static io.cairn.broker.partition.TestBatches.batch;
import static io.cairn.broker.partition.TestBatches.direct;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.network.ResponseEncoder;
import io.cairn.broker.partition.DataPathMetrics;
import io.cairn.broker.partition.DataPathServices;
import io.cairn.broker.partition.StorageLogs;
import io.cairn.broker.produce.Acks;
import io.cairn.broker.produce.AppendResult;
import io.cairn.broker.producer.MemoryProducerIdStore;
import io.cairn.broker.producer.MemoryProducerStateStore;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.types.RecordBytes;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.storage.LogConfig;
import io.cairn.storage.LogManager;
import io.cairn.storage.LogManagerConfig;
import io.cairn.storage.TopicPartition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetched record bytes leave as a {@link DefaultFileRegion} over the log segment (sendfile): the
 * real chain of storage, fetch service, fetch handler, the Fetch response encoder and the
 * network's response encoder, with the bytes the region would send compared to what was produced.
 */
class FetchZeroCopyTest {
    @TempDir
    Path dir;

    @Test
    void recordDataIsWrittenAsAFileRegionOverTheSegment() throws Exception {
        TopicPartition tp = new TopicPartition("zero", 0);
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        try (LogManager logs = LogManager.open(dir, LogManagerConfig.builder().build())) {
            logs.getOrCreateLog(tp, LogConfig.defaults());
            DataPathServices services = new DataPathServices(new DataPathServices.Settings(1, 1, 60_000, 60_000, 10),
                    new StorageLogs(logs), new MemoryProducerStateStore(), new MemoryProducerIdStore(),
                    DataPathMetrics.NONE, System::currentTimeMillis);
            try {
                ByteBuffer produced = batch(50, 7);
                CompletableFuture<AppendResult> appended = new CompletableFuture<>();
                services.appends().append(tp, direct(produced.duplicate()), Acks.LEADER, loop, appended::complete);
                assertThat(appended.get(5, TimeUnit.SECONDS).isSuccess()).isTrue();

                FetchResponse response = new FetchHandler(services.fetches()).handle(new FetchRequest(0, 1, 1 << 20,
                        FetchRequest.READ_UNCOMMITTED, List.of(new FetchRequest.FetchTopic("zero",
                        List.of(new FetchRequest.FetchPartition(0, -1, 0, -1, 1 << 20))))), loop).get(5, TimeUnit.SECONDS);
                RecordBytes records = response.topics().get(0).partitions().get(0).records();
                assertThat(records).isInstanceOf(RecordBytes.InFile.class);

                EncodedFrame frame = ApiSpecs.FETCH.encodeResponse(ByteBufAllocator.DEFAULT, response, 0, 1);
                EmbeddedChannel network = new EmbeddedChannel(new ResponseEncoder());
                network.writeOutbound(frame);
                List<Object> written = new ArrayList<>();
                for (Object o; (o = network.readOutbound()) != null; ) {
                    written.add(o);
                }
                List<FileRegion> regions = written.stream().filter(FileRegion.class::isInstance)
                        .map(FileRegion.class::cast).toList();
                assertThat(regions).singleElement().isInstanceOf(DefaultFileRegion.class);
                FileRegion region = regions.get(0);
                assertThat(region.count()).isEqualTo(produced.remaining());
                long bufferBytes = written.stream().filter(ByteBuf.class::isInstance)
                        .mapToLong(o -> ((ByteBuf) o).readableBytes()).sum();
                assertThat(bufferBytes + region.count()).isEqualTo(frame.frameLength());
                assertThat(bufferBytes).as("no record byte is copied into a buffer").isLessThan(100);

                // what sendfile would put on the wire is the produced batch (offset and leader epoch assigned)
                ByteBuffer sent = ByteBuffer.allocate((int) region.count());
                region.transferTo(new WritableByteChannel() {
                    @Override
                    public int write(ByteBuffer src) {
                        int n = src.remaining();
                        sent.put(src);
                        return n;
                    }

                    @Override
                    public boolean isOpen() {
                        return true;
                    }

                    @Override
                    public void close() {
                    }
                }, 0);
                assertThat(sent.flip().slice(16, sent.remaining() - 16))
                        .isEqualTo(produced.slice(16, produced.remaining() - 16));
                written.forEach(ReferenceCountUtil::release);
                assertThat(network.finish()).isFalse();
            } finally {
                services.close();
                loop.shutdownNow();
            }
        }
    }
}
