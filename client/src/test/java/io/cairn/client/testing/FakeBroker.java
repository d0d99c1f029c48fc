package io.cairn.client.testing;

import io.cairn.client.TopicPartition;
import io.cairn.protocol.message.ApiRequest;
import io.cairn.protocol.message.AlterConfigsRequest;
import io.cairn.protocol.message.AlterConfigsResponse;
import io.cairn.protocol.message.ApiResponse;
import io.cairn.protocol.message.CreatePartitionsRequest;
import io.cairn.protocol.message.CreatePartitionsResponse;
import io.cairn.protocol.message.CreateTopicsRequest;
import io.cairn.protocol.message.CreateTopicsResponse;
import io.cairn.protocol.message.DeleteTopicsRequest;
import io.cairn.protocol.message.DeleteTopicsResponse;
import io.cairn.protocol.message.DescribeConfigsRequest;
import io.cairn.protocol.message.DescribeConfigsResponse;
import io.cairn.protocol.message.ConsumerGroupHeartbeatRequest;
import io.cairn.protocol.message.FindCoordinatorRequest;
import io.cairn.protocol.message.FindCoordinatorResponse;
import io.cairn.protocol.message.OffsetCommitRequest;
import io.cairn.protocol.message.OffsetFetchRequest;
import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.message.InitProducerIdRequest;
import io.cairn.protocol.message.InitProducerIdResponse;
import io.cairn.protocol.message.ListOffsetsRequest;
import io.cairn.protocol.message.ListOffsetsResponse;
import io.cairn.protocol.message.MetadataRequest;
import io.cairn.protocol.message.MetadataResponse;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.message.RequestCodec;
import io.cairn.protocol.message.ResponseCodec;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatches;
import io.cairn.protocol.types.RecordBytes;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.RequestHeader;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small in-memory broker speaking the real wire protocol, for testing the client's logic without
 * the real broker and with faults on demand: Metadata, InitProducerId, Produce (with the idempotent
 * sequence check and duplicate detection of DESIGN.md), Fetch and ListOffsets. Topics are declared up
 * front; a {@link FakeGroupCoordinator} answers the group APIs. All request handling runs on the fake's single event loop thread.
 */
public final class FakeBroker implements AutoCloseable {
    /** What to do with a produce request; decided per request by {@link #produceFault}. */
    public enum ProduceFault {
        /** Append and answer. */
        NONE,
        /** Append, then close the connection instead of answering (the client must retry; duplicates expected). */
        APPEND_THEN_DISCONNECT,
        /** Close the connection without appending. */
        DISCONNECT,
        /** Answer NOT_LEADER_OR_FOLLOWER for every partition without appending. */
        NOT_LEADER
    }

    /** A stored batch and the offsets it was given. */
    private record StoredBatch(long baseOffset, long lastOffset, byte[] bytes, long producerId, int baseSequence,
                               int lastSequence) {
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;
    private final List<Channel> children = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> topics = new ConcurrentHashMap<>();
    private final FakeGroupCoordinator groups = new FakeGroupCoordinator(topics);
    private final Map<String, Map<String, String>> topicConfigs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, List<StoredBatch>> logs = new ConcurrentHashMap<>();
    private final AtomicLong nextProducerId = new AtomicLong(1000);
    private final AtomicInteger produceRequests = new AtomicInteger();
    private final AtomicInteger fetchRequests = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger producedBatches = new AtomicInteger();
    private final AtomicInteger mostBatchesPerPartition = new AtomicInteger();
    private volatile java.util.function.IntFunction<ProduceFault> produceFault = n -> ProduceFault.NONE;
    private volatile boolean corruptFetches;
    /** Produce answers held back while {@link #holdProduceAnswers} is on; event loop only. */
    private final List<Runnable> heldProduceAnswers = new ArrayList<>();
    private volatile boolean holdProduceAnswers;
    private volatile boolean groupsServed = true;

    /** Starts listening on an ephemeral port with the given topics (name to partition count). */
    public FakeBroker(Map<String, Integer> topicPartitions) {
        topics.putAll(topicPartitions);
        topicPartitions.keySet().forEach(t -> topicConfigs.put(t, new ConcurrentHashMap<>()));
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        children.add(ch);
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(64 << 20, 2, 4, 0, 0))
                                .addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                                        handle(ctx.channel(), frame);
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** The port the fake listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** {@code 127.0.0.1:port}. */
    public String bootstrap() {
        return "127.0.0.1:" + port();
    }

    /** Decides the fault for the n-th produce request (from 1). */
    public void produceFault(java.util.function.IntFunction<ProduceFault> fault) {
        this.produceFault = fault;
    }

    /** Flips one byte inside the records of every batch served by fetches from now on (the stored copy stays intact). */
    public void corruptFetches(boolean corrupt) {
        this.corruptFetches = corrupt;
    }

    /** The committed offset of {@code tp} for {@code group}, or -1 (read on the fake's thread). */
    public long committed(String group, TopicPartition tp) {
        try {
            return group().submit(() -> groups.committed(group, tp)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private EventLoopGroup group() {
        return group;
    }

    /** Whether FindCoordinator finds this broker, or answers UNSUPPORTED_VERSION as a broker without groups. */
    public void groupsServed(boolean served) {
        this.groupsServed = served;
    }

    /**
     * While on, produce requests are appended as usual but their answers are held back (the client
     * sees its requests stay in flight); turning it off sends the held answers, in order.
     */
    public void holdProduceAnswers(boolean hold) {
        holdProduceAnswers = hold;
        if (!hold) {
            group.next().submit(() -> {
                List<Runnable> held = new ArrayList<>(heldProduceAnswers);
                heldProduceAnswers.clear();
                held.forEach(Runnable::run);
            }).syncUninterruptibly();
        }
    }

    /** The produce answers held back so far. */
    public int heldProduceAnswers() {
        return group.next().submit(heldProduceAnswers::size).syncUninterruptibly().getNow();
    }

    /** The (baseSequence, lastSequence) of every batch stored for {@code tp}, in offset order. */
    public List<int[]> storedSequences(TopicPartition tp) {
        return group.next().submit(() -> {
            List<int[]> out = new ArrayList<>();
            for (StoredBatch b : logs.getOrDefault(tp, List.of())) {
                out.add(new int[] {b.baseSequence(), b.lastSequence()});
            }
            return out;
        }).syncUninterruptibly().getNow();
    }

    /** Produce requests received. */
    public int produceRequests() {
        return produceRequests.get();
    }

    /** Fetch requests received. */
    public int fetchRequests() {
        return fetchRequests.get();
    }

    /** Record batches received in produce requests (duplicates included). */
    public int producedBatches() {
        return producedBatches.get();
    }

    /** The most batches one produce request carried for one partition. */
    public int mostBatchesPerPartition() {
        return mostBatchesPerPartition.get();
    }

    /** Batches answered as duplicates of an earlier append. */
    public int duplicates() {
        return duplicates.get();
    }

    /** Closes every client connection (the server keeps listening). */
    public void dropConnections() {
        for (Channel c : children) {
            c.close();
        }
    }

    /** The log end offset of a partition. */
    public long endOffset(TopicPartition tp) {
        List<StoredBatch> log = logs.get(tp);
        return log == null || log.isEmpty() ? 0 : log.get(log.size() - 1).lastOffset + 1;
    }

    private void handle(Channel ch, ByteBuf buf) {
        int type = buf.readUnsignedShort();
        buf.skipBytes(4);
        Frame frame = new Frame(type, buf);
        RequestHeader header = RequestHeader.read(frame);
        ApiRequest request = RequestCodec.decode(header, frame);
        try {
            ApiResponse response;
            if (request instanceof MetadataRequest m) {
                response = metadata(m);
            } else if (request instanceof InitProducerIdRequest) {
                response = new InitProducerIdResponse(ErrorCode.NONE.code(), null, nextProducerId.getAndIncrement(),
                        (short) 0);
            } else if (request instanceof ProduceRequest p) {
                int n = produceRequests.incrementAndGet();
                ProduceFault fault = produceFault.apply(n);
                if (fault == ProduceFault.DISCONNECT) {
                    ch.close();
                    return;
                }
                if (fault == ProduceFault.NOT_LEADER) {
                    response = produceError(p, ErrorCode.NOT_LEADER_OR_FOLLOWER);
                } else {
                    response = produce(p);
                    if (fault == ProduceFault.APPEND_THEN_DISCONNECT) {
                        ch.close();
                        return;
                    }
                }
                if (p.acks() == 0) {
                    return;
                }
                if (holdProduceAnswers) {
                    ApiResponse held = response;
                    heldProduceAnswers.add(() -> write(ch, header, held));
                    return;
                }
            } else if (request instanceof FetchRequest f) {
                fetchRequests.incrementAndGet();
                FetchResponse r = fetch(f);
                boolean empty = r.topics().stream().flatMap(t -> t.partitions().stream())
                        .allMatch(pd -> pd.records() == null || pd.records().sizeInBytes() == 0);
                if (empty && f.maxWaitMs() > 0) {
                    r.topics().forEach(t -> t.partitions().forEach(pd -> {
                        if (pd.records() != null) {
                            pd.records().release();
                        }
                    }));
                    ch.eventLoop().schedule(() -> write(ch, header, fetch(f)), Math.min(f.maxWaitMs(), 50),
                            TimeUnit.MILLISECONDS);
                    return;
                }
                response = r;
            } else if (request instanceof ListOffsetsRequest l) {
                response = listOffsets(l);
            } else if (request instanceof CreateTopicsRequest c) {
                response = createTopics(c);
            } else if (request instanceof DeleteTopicsRequest d) {
                response = deleteTopics(d);
            } else if (request instanceof CreatePartitionsRequest c) {
                response = createPartitions(c);
            } else if (request instanceof DescribeConfigsRequest d) {
                response = describeConfigs(d);
            } else if (request instanceof AlterConfigsRequest a) {
                response = alterConfigs(a);
            } else if (request instanceof FindCoordinatorRequest) {
                response = groupsServed
                        ? new FindCoordinatorResponse(ErrorCode.NONE.code(), null, 1, "127.0.0.1", port())
                        : new FindCoordinatorResponse(ErrorCode.UNSUPPORTED_VERSION.code(),
                                "FindCoordinator is not served by this broker", -1, "", -1);
            } else if (request instanceof ConsumerGroupHeartbeatRequest h) {
                response = groups.heartbeat(h);
            } else if (request instanceof OffsetCommitRequest c) {
                response = groups.commit(c);
            } else if (request instanceof OffsetFetchRequest f) {
                response = groups.fetch(f);
            } else {
                throw new IllegalStateException("fake broker does not handle " + request.apiKey());
            }
            write(ch, header, response);
        } finally {
            RequestCodec.release(request);
        }
    }

    private void write(Channel ch, RequestHeader header, ApiResponse response) {
        EncodedFrame out = ResponseCodec.encode(ch.alloc(), response, header.apiVersion(), header.correlationId());
        for (Object chunk : out.chunks()) {
            ch.write(chunk);
        }
        ch.flush();
        ResponseCodec.release(response);
    }

    private CreateTopicsResponse createTopics(CreateTopicsRequest r) {
        List<CreateTopicsResponse.TopicResult> out = new ArrayList<>();
        for (CreateTopicsRequest.CreatableTopic t : r.topics()) {
            if (topics.containsKey(t.name())) {
                out.add(new CreateTopicsResponse.TopicResult(t.name(), new UUID(0, 0),
                        ErrorCode.TOPIC_ALREADY_EXISTS.code(), "Topic '" + t.name() + "' already exists.", -1, (short) -1));
                continue;
            }
            int n = t.numPartitions() < 0 ? 1 : t.numPartitions();
            topics.put(t.name(), n);
            Map<String, String> cfg = new ConcurrentHashMap<>();
            t.configs().forEach(c -> cfg.put(c.name(), c.value()));
            topicConfigs.put(t.name(), cfg);
            out.add(new CreateTopicsResponse.TopicResult(t.name(), new UUID(0, 1), ErrorCode.NONE.code(), null, n, (short) 1));
        }
        return new CreateTopicsResponse(ErrorCode.NONE.code(), null, out);
    }

    private DeleteTopicsResponse deleteTopics(DeleteTopicsRequest r) {
        List<DeleteTopicsResponse.DeletableTopicResult> out = new ArrayList<>();
        for (String t : r.topicNames()) {
            boolean existed = topics.remove(t) != null;
            topicConfigs.remove(t);
            out.add(new DeleteTopicsResponse.DeletableTopicResult(t, existed ? ErrorCode.NONE.code()
                    : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), existed ? null : "no topic " + t));
        }
        return new DeleteTopicsResponse(ErrorCode.NONE.code(), null, out);
    }

    private CreatePartitionsResponse createPartitions(CreatePartitionsRequest r) {
        List<CreatePartitionsResponse.CreatePartitionsTopicResult> out = new ArrayList<>();
        for (CreatePartitionsRequest.CreatePartitionsTopic t : r.topics()) {
            Integer current = topics.get(t.name());
            ErrorCode code = current == null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                    : t.count() <= current ? ErrorCode.INVALID_PARTITIONS : ErrorCode.NONE;
            if (code == ErrorCode.NONE) {
                topics.put(t.name(), t.count());
            }
            out.add(new CreatePartitionsResponse.CreatePartitionsTopicResult(t.name(), code.code(),
                    code == ErrorCode.NONE ? null : code + " for " + t.name()));
        }
        return new CreatePartitionsResponse(ErrorCode.NONE.code(), null, out);
    }

    private DescribeConfigsResponse describeConfigs(DescribeConfigsRequest r) {
        List<DescribeConfigsResponse.DescribeConfigsResult> out = new ArrayList<>();
        for (DescribeConfigsRequest.DescribeConfigsResource res : r.resources()) {
            Map<String, String> cfg = topicConfigs.get(res.resourceName());
            if (cfg == null) {
                out.add(new DescribeConfigsResponse.DescribeConfigsResult(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(),
                        "no topic " + res.resourceName(), res.resourceType(), res.resourceName(), List.of()));
                continue;
            }
            List<DescribeConfigsResponse.DescribeConfigsEntry> entries = new ArrayList<>();
            String retention = cfg.get("retention.ms");
            entries.add(new DescribeConfigsResponse.DescribeConfigsEntry("retention.ms",
                    retention == null ? "604800000" : retention, false, retention == null, false, (byte) 5,
                    "how long records are kept"));
            out.add(new DescribeConfigsResponse.DescribeConfigsResult(ErrorCode.NONE.code(), null, res.resourceType(),
                    res.resourceName(), entries));
        }
        return new DescribeConfigsResponse(ErrorCode.NONE.code(), null, out);
    }

    private AlterConfigsResponse alterConfigs(AlterConfigsRequest r) {
        List<AlterConfigsResponse.AlterConfigsResourceResponse> out = new ArrayList<>();
        for (AlterConfigsRequest.AlterConfigsResource res : r.resources()) {
            Map<String, String> cfg = topicConfigs.get(res.resourceName());
            ErrorCode code = ErrorCode.NONE;
            String message = null;
            for (AlterConfigsRequest.AlterableConfig c : res.configs()) {
                if (cfg == null) {
                    code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
                } else if (!c.name().equals("retention.ms")
                        || c.value() != null && !c.value().chars().allMatch(Character::isDigit)) {
                    code = ErrorCode.INVALID_CONFIG;
                    message = "invalid value '" + c.value() + "' for " + c.name();
                }
            }
            if (code == ErrorCode.NONE) {
                for (AlterConfigsRequest.AlterableConfig c : res.configs()) {
                    if (c.configOperation() == AlterConfigsRequest.OP_DELETE) {
                        cfg.remove(c.name());
                    } else {
                        cfg.put(c.name(), c.value());
                    }
                }
            }
            out.add(new AlterConfigsResponse.AlterConfigsResourceResponse(code.code(), message, res.resourceType(),
                    res.resourceName()));
        }
        return new AlterConfigsResponse(ErrorCode.NONE.code(), null, out);
    }

    private MetadataResponse metadata(MetadataRequest m) {
        List<String> names = m.topics() == null ? new ArrayList<>(topics.keySet()) : m.topics();
        List<MetadataResponse.Topic> out = new ArrayList<>();
        for (String name : names) {
            Integer count = topics.get(name);
            if (count == null) {
                out.add(new MetadataResponse.Topic(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), name, new UUID(0, 0),
                        false, List.of()));
                continue;
            }
            List<MetadataResponse.Partition> parts = new ArrayList<>();
            for (int p = 0; p < count; p++) {
                TopicPartition tp = new TopicPartition(name, p);
                List<StoredBatch> log = logs.getOrDefault(tp, List.of());
                long startOffset = log.isEmpty() ? 0 : log.get(0).baseOffset();
                long sizeBytes = log.stream().mapToLong(b -> b.bytes().length).sum();
                // one segment per partition: the fake keeps no files (v0 leaves these out)
                parts.add(new MetadataResponse.Partition(ErrorCode.NONE.code(), p, 1, 0, startOffset, endOffset(tp),
                        sizeBytes, 1));
            }
            out.add(new MetadataResponse.Topic(ErrorCode.NONE.code(), name, new UUID(0, 1), false, parts));
        }
        return new MetadataResponse(ErrorCode.NONE.code(), null,
                List.of(new MetadataResponse.Broker(1, "127.0.0.1", port(), null)), "fake", out);
    }

    private ProduceResponse produceError(ProduceRequest p, ErrorCode code) {
        List<ProduceResponse.TopicResponse> topicsOut = new ArrayList<>();
        for (ProduceRequest.TopicData t : p.topics()) {
            List<ProduceResponse.PartitionResponse> parts = new ArrayList<>();
            for (ProduceRequest.PartitionData pd : t.partitions()) {
                parts.add(new ProduceResponse.PartitionResponse(pd.partitionIndex(), code.code(), null, -1, -1, -1));
            }
            topicsOut.add(new ProduceResponse.TopicResponse(t.name(), parts));
        }
        return new ProduceResponse(ErrorCode.NONE.code(), null, topicsOut);
    }

    private ProduceResponse produce(ProduceRequest p) {
        List<ProduceResponse.TopicResponse> topicsOut = new ArrayList<>();
        for (ProduceRequest.TopicData t : p.topics()) {
            List<ProduceResponse.PartitionResponse> parts = new ArrayList<>();
            for (ProduceRequest.PartitionData pd : t.partitions()) {
                Integer count = topics.get(t.name());
                if (count == null || pd.partitionIndex() >= count) {
                    parts.add(new ProduceResponse.PartitionResponse(pd.partitionIndex(),
                            ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), null, -1, -1, -1));
                    continue;
                }
                TopicPartition tp = new TopicPartition(t.name(), pd.partitionIndex());
                parts.add(append(tp, pd.records()));
            }
            topicsOut.add(new ProduceResponse.TopicResponse(t.name(), parts));
        }
        return new ProduceResponse(ErrorCode.NONE.code(), null, topicsOut);
    }

    private ProduceResponse.PartitionResponse append(TopicPartition tp, ByteBuf records) {
        byte[] all = new byte[records.readableBytes()];
        records.getBytes(records.readerIndex(), all);
        ByteBuffer buffer = ByteBuffer.wrap(all);
        List<StoredBatch> log = logs.computeIfAbsent(tp, k -> new ArrayList<>());
        long firstOffset = -1;
        int received = 0;
        for (RecordBatch ignored : RecordBatches.of(buffer)) {
            received++;
        }
        producedBatches.addAndGet(received);
        mostBatchesPerPartition.accumulateAndGet(received, Math::max);
        for (RecordBatch batch : RecordBatches.of(buffer)) {
            if (!batch.isCrcValid()) {
                return new ProduceResponse.PartitionResponse(tp.partition(), ErrorCode.CORRUPT_MESSAGE.code(), "bad crc",
                        -1, -1, -1);
            }
            long pid = batch.producerId();
            if (pid >= 0) {
                StoredBatch lastOfProducer = null;
                for (int i = log.size() - 1; i >= 0; i--) {
                    if (log.get(i).producerId == pid) {
                        lastOfProducer = log.get(i);
                        break;
                    }
                }
                StoredBatch original = null;
                for (StoredBatch s : log) {
                    if (s.producerId == pid && s.baseSequence == batch.baseSequence()) {
                        original = s;
                    }
                }
                if (original != null) {
                    // checked batch by batch as the broker does: a duplicate is answered, not appended again
                    duplicates.incrementAndGet();
                    if (firstOffset < 0) {
                        firstOffset = original.baseOffset;
                    }
                    continue;
                }
                int expected = lastOfProducer == null ? 0 : lastOfProducer.lastSequence + 1;
                if (batch.baseSequence() != expected) {
                    return new ProduceResponse.PartitionResponse(tp.partition(),
                            ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER.code(), "expected sequence " + expected + " got "
                            + batch.baseSequence(), -1, -1, -1);
                }
            }
            long base = endOffset(tp);
            byte[] copy = new byte[batch.sizeInBytes()];
            buffer.get(batch.position(), copy);
            ByteBuffer stored = ByteBuffer.wrap(copy);
            new RecordBatch(stored, 0).setBaseOffset(base);
            log.add(new StoredBatch(base, base + batch.lastOffsetDelta(), copy, pid, batch.baseSequence(),
                    batch.baseSequence() + batch.recordCount() - 1));
            if (firstOffset < 0) {
                firstOffset = base;
            }
        }
        return new ProduceResponse.PartitionResponse(tp.partition(), ErrorCode.NONE.code(), null, firstOffset, -1, 0);
    }

    private FetchResponse fetch(FetchRequest f) {
        List<FetchResponse.TopicResponse> out = new ArrayList<>();
        for (FetchRequest.FetchTopic t : f.topics()) {
            List<FetchResponse.PartitionData> parts = new ArrayList<>();
            for (FetchRequest.FetchPartition p : t.partitions()) {
                TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                long end = endOffset(tp);
                if (p.fetchOffset() > end) {
                    parts.add(new FetchResponse.PartitionData(p.partitionIndex(), ErrorCode.OFFSET_OUT_OF_RANGE.code(),
                            end, end, 0, null));
                    continue;
                }
                ByteBuf data = Unpooled.buffer();
                for (StoredBatch s : logs.getOrDefault(tp, List.of())) {
                    if (s.lastOffset < p.fetchOffset()) {
                        continue;
                    }
                    if (data.readableBytes() > 0 && data.readableBytes() + s.bytes.length > p.partitionMaxBytes()) {
                        break;
                    }
                    int at = data.writerIndex();
                    data.writeBytes(s.bytes);
                    if (corruptFetches) {
                        int pos = at + s.bytes.length - 1;
                        data.setByte(pos, data.getByte(pos) ^ 0x5A);
                    }
                }
                parts.add(new FetchResponse.PartitionData(p.partitionIndex(), ErrorCode.NONE.code(), end, end, 0,
                        RecordBytes.of(data)));
            }
            out.add(new FetchResponse.TopicResponse(t.name(), parts));
        }
        return new FetchResponse(ErrorCode.NONE.code(), null, out);
    }

    private ListOffsetsResponse listOffsets(ListOffsetsRequest l) {
        List<ListOffsetsResponse.ListOffsetsTopicResponse> out = new ArrayList<>();
        for (ListOffsetsRequest.ListOffsetsTopic t : l.topics()) {
            List<ListOffsetsResponse.ListOffsetsPartitionResponse> parts = new ArrayList<>();
            for (ListOffsetsRequest.ListOffsetsPartition p : t.partitions()) {
                TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                long offset = p.timestamp() == -2 ? 0 : endOffset(tp);
                parts.add(new ListOffsetsResponse.ListOffsetsPartitionResponse(p.partitionIndex(), ErrorCode.NONE.code(),
                        -1, offset, 0));
            }
            out.add(new ListOffsetsResponse.ListOffsetsTopicResponse(t.name(), parts));
        }
        return new ListOffsetsResponse(ErrorCode.NONE.code(), null, out);
    }

    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        dropConnections();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
