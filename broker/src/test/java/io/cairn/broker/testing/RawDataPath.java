package io.cairn.broker.testing;

import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.message.ListOffsetsRequest;
import io.cairn.protocol.message.ListOffsetsResponse;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Produce, fetch and end-offset calls over a {@link RawClient}, for tests that need a normal
 * client's data path next to whatever bad input they send. Stateless.
 */
public final class RawDataPath {
    private RawDataPath() {
    }

    /** A valid batch of {@code count} records "value-i" (keys "key-i") with timestamps from {@code timestamp}. */
    public static byte[] batch(int count, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (int i = 0; i < count; i++) {
            builder.append(timestamp + i, ("key-" + i).getBytes(StandardCharsets.UTF_8),
                    ("value-" + i).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer built = builder.build();
        byte[] bytes = new byte[built.remaining()];
        built.duplicate().get(bytes);
        return bytes;
    }

    /** A Produce request (acks=1) carrying {@code records} as they are to one partition. */
    public static ProduceRequest produceRequest(String topic, int partition, byte[] records) {
        ByteBuf buf = Unpooled.wrappedBuffer(records);
        return new ProduceRequest((short) 1, 30_000, List.of(new ProduceRequest.TopicData(topic,
                List.of(new ProduceRequest.PartitionData(partition, buf)))));
    }

    /** Produces {@code records} (acks=1) and returns the partition's answer. */
    public static ProduceResponse.PartitionResponse produce(RawClient client, String topic, int partition, byte[] records) {
        ProduceRequest request = produceRequest(topic, partition, records);
        try {
            ProduceResponse response = client.call(ApiSpecs.PRODUCE, request);
            if (response.errorCode() != 0) {
                throw new IllegalStateException("produce to " + topic + "-" + partition + " failed as a whole: "
                        + response.errorCode() + " " + response.errorMessage());
            }
            return response.topics().get(0).partitions().get(0);
        } finally {
            request.release();
        }
    }

    /** A Fetch request for one partition from {@code offset}, answered at once. */
    public static FetchRequest fetchRequest(String topic, int partition, long offset, int maxBytes) {
        return new FetchRequest(0, 0, maxBytes, FetchRequest.READ_UNCOMMITTED, List.of(
                new FetchRequest.FetchTopic(topic, List.of(new FetchRequest.FetchPartition(partition, -1, offset, -1, maxBytes)))));
    }

    /** Fetches from {@code offset} and returns the bytes of records served (the response is released). */
    public static byte[] fetch(RawClient client, String topic, int partition, long offset) {
        FetchResponse response = client.call(ApiSpecs.FETCH, fetchRequest(topic, partition, offset, 1 << 20));
        try {
            FetchResponse.PartitionData p = response.topics().get(0).partitions().get(0);
            if (p.errorCode() != 0) {
                throw new IllegalStateException("fetch " + topic + "-" + partition + " at " + offset + " failed: " + p.errorCode());
            }
            if (p.records() == null) {
                return new byte[0];
            }
            ByteBuf buf = p.records().buffer();
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        } finally {
            response.release();
        }
    }

    /** The partition's latest offset (ListOffsets -1: the high watermark, the end offset on one broker). */
    public static long endOffset(RawClient client, String topic, int partition) {
        ListOffsetsResponse response = client.call(ApiSpecs.LIST_OFFSETS, new ListOffsetsRequest(FetchRequest.READ_UNCOMMITTED,
                List.of(new ListOffsetsRequest.ListOffsetsTopic(topic,
                        List.of(new ListOffsetsRequest.ListOffsetsPartition(partition, -1, -1L))))));
        ListOffsetsResponse.ListOffsetsPartitionResponse p = response.topics().get(0).partitions().get(0);
        if (p.errorCode() != 0) {
            throw new IllegalStateException("list offsets of " + topic + "-" + partition + " failed: " + p.errorCode());
        }
        return p.offset();
    }
}
