package io.cairn.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.broker.testing.RawDataPath;
import io.cairn.protocol.message.ApiRequest;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ApiVersionsRequest;
import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.ListOffsetsRequest;
import io.cairn.protocol.message.MetadataRequest;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.RequestCodec;
import io.cairn.protocol.record.CompressionType;
import io.cairn.protocol.record.InvalidRecordBatchException;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.cairn.protocol.record.RecordBatchValidator;
import io.cairn.protocol.record.ValidationSummary;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.RequestHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Scenario 13, live half: random frames and mutated valid frames (Produce, Fetch, ListOffsets,
 * Metadata, ApiVersions; bytes flipped, truncated, length prefixes rewritten, values spliced)
 * against one in-process broker, while a well-behaved client produces and fetches on its own
 * connection. After every frame the broker still answers on that connection or has closed it,
 * serves everyone else, and the fuzzed partition's end offset moved only if the frame, decoded by
 * the protocol module on the test's side, was a well-formed Produce of valid batches: nothing is
 * stored from a malformed frame. The well-behaved client never sees an error.
 *
 * <p>Whether the well-behaved client's latency holds up (p99 within 2x of its baseline) is a
 * timing goal measured by {@code LiveFuzzLatencyTest} (tag soak, run by
 * {@code reliability/fuzz-latency.sh}), not here.
 */
class LiveBrokerFuzzProperties {
    /** Admin and group APIs change state a random body could make valid; the fuzz leaves them out. */
    static final Set<Integer> STATEFUL_APIS = Set.of(8, 19, 20, 22, 33, 37, 42, 68);
    private static final int PROBE_CORRELATION_ID = 0x7ABC_DEF0;
    private static final String TOPIC = "fuzz";

    private static Path dir;
    private static EmbeddedBroker broker;
    private static RawClient bystander;
    private static WellBehavedClient wellBehaved;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("cairn-live-fuzz");
        broker = startBroker(dir);
        broker.createTopic(TOPIC, 1);
        broker.createTopic(WellBehavedClient.TOPIC, 1);
        bystander = broker.rawClient();
        wellBehaved = WellBehavedClient.start(broker);
    }

    static EmbeddedBroker startBroker(Path dataDir) {
        // A frame whose length was mutated upwards waits for bytes that never come: reap it fast.
        return EmbeddedBroker.builder(dataDir).set("frame.read.timeout.ms", "300")
                .set("max.frame.bytes", Integer.toString(1 << 20)).set("message.max.bytes", Integer.toString(1 << 19)).start();
    }

    @AfterContainer
    static void stop() throws IOException {
        WellBehavedClient.Result result = wellBehaved.stop();
        bystander.close();
        broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        System.out.printf("live fuzz: well-behaved client made %d produce+fetch round trips, %d errors, p99 %d us%n",
                result.roundTrips(), result.errors(), result.p99Micros());
        assertThat(result.errors()).as("errors seen by the well-behaved client: %s", result.firstError()).isZero();
        assertThat(result.roundTrips()).as("the well-behaved client made progress").isPositive();
    }

    @Property(tries = 250)
    void noFrameHurtsTheBrokerOrStoresAnythingUnlessWellFormed(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] frame = FuzzFrames.next(random);
        long endBefore = RawDataPath.endOffset(bystander, TOPIC, 0);
        FuzzFrames.Produce wellFormed = FuzzFrames.wellFormedProduce(frame, TOPIC);

        try (RawClient client = broker.rawClient()) {
            client.sendRaw(frame);
            awaitAnswersOrClose(client, wellFormed);
        }
        if (wellFormed != null && wellFormed.acks() == 0 && wellFormed.records() > 0) {
            // No answer to wait for: the append lands when it lands (responses may come out of order).
            await("acks=0 produce of " + wellFormed.records() + " records appended (seed " + seed + ")")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> RawDataPath.endOffset(bystander, TOPIC, 0) == endBefore + wellFormed.records());
        }

        long endAfter = RawDataPath.endOffset(bystander, TOPIC, 0);
        if (wellFormed == null) {
            assertThat(endAfter).as("end offset after a malformed frame (seed %d)", seed).isEqualTo(endBefore);
        } else {
            assertThat(endAfter).as("end offset after a well-formed produce of %d records (seed %d)", wellFormed.records(), seed)
                    .isIn(endBefore, endBefore + wellFormed.records());
        }
        bystander.assertServes();
    }

    /**
     * Sends an ApiVersions probe behind the fuzzed frame and reads until the probe is answered
     * (the broker made sense of the stream) or the connection is closed (it could not); for a
     * well-formed produce that expects an answer, also until that answer arrives, since answers
     * may come out of order and the append is done only then. Hanging is never fine.
     */
    private static void awaitAnswersOrClose(RawClient client, FuzzFrames.Produce wellFormed) {
        try {
            client.send(18, 0, PROBE_CORRELATION_ID, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        } catch (java.io.UncheckedIOException closedAlready) {
            return;
        }
        boolean probeAnswered = false;
        boolean produceAnswered = wellFormed == null || wellFormed.acks() == 0;
        for (int responses = 0; responses < 100; responses++) {
            Optional<RawClient.Response> response = client.receiveUnlessClosed(Duration.ofSeconds(10));
            if (response.isEmpty()) {
                return;
            }
            int correlationId = response.get().correlationId();
            probeAnswered |= correlationId == PROBE_CORRELATION_ID && response.get().apiKey() == 18;
            produceAnswered |= wellFormed != null && correlationId == wellFormed.correlationId() && response.get().apiKey() == 0;
            if (probeAnswered && produceAnswered) {
                return;
            }
        }
        throw new AssertionError("no answer to the probe after 100 responses");
    }

    /** Random and mutated request frames, and the oracle saying what a frame may append. */
    static final class FuzzFrames {
        private static final RecordBatchValidator ORACLE = new RecordBatchValidator(1 << 19, 1 << 20);

        private FuzzFrames() {
        }

        static byte[] next(Random random) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                byte[] garbage = new byte[random.nextInt(200)];
                random.nextBytes(garbage);
                return garbage;
            }
            if (kind == 1) {
                int type;
                do {
                    type = random.nextInt(0x10000);
                } while (STATEFUL_APIS.contains(type));
                byte[] value = new byte[random.nextInt(100)];
                random.nextBytes(value);
                return ByteBuffer.allocate(6 + value.length).putShort((short) type).putInt(value.length).put(value).array();
            }
            byte[] frame = validFrame(random);
            return kind == 2 ? frame : mutate(frame, random);
        }

        static byte[] validFrame(Random random) {
            ApiRequest request = switch (random.nextInt(6)) {
                case 0, 1, 2 -> produce(random);
                case 3 -> new FetchRequest(0, 0, 1 << 16, FetchRequest.READ_UNCOMMITTED, List.of(new FetchRequest.FetchTopic(TOPIC,
                        List.of(new FetchRequest.FetchPartition(0, -1, random.nextInt(5), -1, 1 << 16)))));
                case 4 -> new ListOffsetsRequest(FetchRequest.READ_UNCOMMITTED, List.of(new ListOffsetsRequest.ListOffsetsTopic(TOPIC,
                        List.of(new ListOffsetsRequest.ListOffsetsPartition(0, -1, -1L)))));
                default -> random.nextBoolean() ? new MetadataRequest(List.of(TOPIC), false) : new ApiVersionsRequest("fuzz", "1");
            };
            try {
                return RawClient.bytes(RequestCodec.encode(UnpooledByteBufAllocator.DEFAULT, request, 0, random.nextInt(), "fuzz"));
            } finally {
                RequestCodec.release(request);
            }
        }

        private static ProduceRequest produce(Random random) {
            ByteBuf records = Unpooled.buffer();
            for (int b = 1 + random.nextInt(2); b > 0; b--) {
                RecordBatchBuilder builder = new RecordBatchBuilder().compressionType(CompressionType.values()[random.nextInt(5)]);
                for (int i = 1 + random.nextInt(5); i > 0; i--) {
                    byte[] value = new byte[random.nextInt(50)];
                    random.nextBytes(value);
                    builder.append(1_700_000_000_000L + random.nextInt(1000), null, value);
                }
                records.writeBytes(builder.build());
            }
            return new ProduceRequest((short) 1, 10_000, List.of(new ProduceRequest.TopicData(TOPIC,
                    List.of(new ProduceRequest.PartitionData(0, records)))));
        }

        static byte[] mutate(byte[] frame, Random random) {
            byte[] out = frame.clone();
            switch (random.nextInt(5)) {
                case 0 -> { // flip bytes anywhere
                    for (int n = 1 + random.nextInt(4); n > 0; n--) {
                        out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
                    }
                }
                case 1 -> { // flip bytes in the value only (the frame header stays valid)
                    for (int n = 1 + random.nextInt(4); n > 0 && out.length > 6; n--) {
                        out[6 + random.nextInt(out.length - 6)] ^= (byte) (1 + random.nextInt(255));
                    }
                }
                case 2 -> { // truncate the value, and say so in the length prefix
                    int keep = 6 + random.nextInt(out.length - 5);
                    out = Arrays.copyOf(out, keep);
                    ByteBuffer.wrap(out).putInt(2, keep - 6);
                }
                case 3 -> { // a length prefix that disagrees with the value
                    long[] lengths = {0, 1, out.length - 7, out.length, out.length + 100, 0x7FFF_FFFFL, 0xFFFF_FFFFL, random.nextInt(1 << 21)};
                    ByteBuffer.wrap(out).putInt(2, (int) lengths[random.nextInt(lengths.length)]);
                }
                default -> { // splice random bytes into the value
                    byte[] noise = new byte[1 + random.nextInt(16)];
                    random.nextBytes(noise);
                    int at = 6 + random.nextInt(out.length - 5);
                    byte[] spliced = new byte[out.length + noise.length];
                    System.arraycopy(out, 0, spliced, 0, at);
                    System.arraycopy(noise, 0, spliced, at, noise.length);
                    System.arraycopy(out, at, spliced, at + noise.length, out.length - at);
                    out = spliced;
                    ByteBuffer.wrap(out).putInt(2, out.length - 6);
                }
            }
            return out;
        }

        /** A well-formed Produce frame: its acks, correlation id and the records it carries for the fuzzed partition. */
        record Produce(int acks, int correlationId, int records) {
        }

        /**
         * What {@code frame} may append to {@code topic}-0: a {@link Produce} if the bytes are
         * exactly one well-formed Produce request whose batches for that partition are valid;
         * null if the frame is malformed in any way (nothing may be stored).
         */
        static Produce wellFormedProduce(byte[] frame, String topic) {
            if (frame.length < 6) {
                return null;
            }
            ByteBuffer header = ByteBuffer.wrap(frame);
            int type = Short.toUnsignedInt(header.getShort(0));
            long length = Integer.toUnsignedLong(header.getInt(2));
            if (length != frame.length - 6 || type != ApiSpecs.PRODUCE.apiKey().id()) {
                return null;
            }
            Frame parsed = new Frame(type, Unpooled.wrappedBuffer(frame, 6, frame.length - 6));
            ApiRequest request = null;
            try {
                RequestHeader requestHeader = RequestHeader.read(parsed);
                if (RequestCodec.check(requestHeader) != ErrorCode.NONE) {
                    return null;
                }
                request = RequestCodec.decode(requestHeader, parsed);
                ProduceRequest produce = (ProduceRequest) request;
                if (produce.acks() != 0 && produce.acks() != 1 && produce.acks() != -1) {
                    return null;
                }
                int records = 0;
                for (ProduceRequest.TopicData t : produce.topics()) {
                    for (ProduceRequest.PartitionData p : t.partitions()) {
                        if (t.name().equals(topic) && p.partitionIndex() == 0 && p.records() != null) {
                            ByteBuffer nio = p.records().nioBuffer();
                            ValidationSummary summary = ORACLE.validateProduce(nio, nio.position(), nio.limit());
                            records += summary.recordCount();
                        }
                    }
                }
                return new Produce(produce.acks(), requestHeader.correlationId(), records);
            } catch (DecodeException | InvalidRecordBatchException malformed) {
                return null;
            } finally {
                if (request != null) {
                    RequestCodec.release(request);
                }
                parsed.release();
            }
        }
    }

    /** A client producing and fetching in a loop on its own connection, timing each round trip. */
    static final class WellBehavedClient {
        static final String TOPIC = "steady";

        private final Thread thread;
        private final List<Long> latenciesNanos = new ArrayList<>();
        private volatile boolean running = true;
        private long roundTrips;
        private long errors;
        private String firstError;

        private WellBehavedClient(EmbeddedBroker broker) {
            thread = new Thread(() -> run(broker), "well-behaved-client");
            thread.setDaemon(true);
        }

        static WellBehavedClient start(EmbeddedBroker broker) {
            WellBehavedClient client = new WellBehavedClient(broker);
            client.thread.start();
            return client;
        }

        private void run(EmbeddedBroker broker) {
            byte[] batch = RawDataPath.batch(5, 0);
            try (RawClient client = broker.rawClient()) {
                while (running) {
                    long start = System.nanoTime();
                    try {
                        var produced = RawDataPath.produce(client, TOPIC, 0, batch);
                        if (produced.errorCode() != 0) {
                            throw new IllegalStateException("produce answered " + produced.errorCode() + " " + produced.errorMessage());
                        }
                        if (RawDataPath.fetch(client, TOPIC, 0, produced.baseOffset()).length == 0) {
                            throw new IllegalStateException("fetch at " + produced.baseOffset() + " returned nothing");
                        }
                    } catch (RuntimeException e) {
                        record(e.toString());
                        return;
                    }
                    synchronized (this) {
                        latenciesNanos.add(System.nanoTime() - start);
                        roundTrips++;
                    }
                }
            } catch (RuntimeException e) {
                record(e.toString());
            }
        }

        private synchronized void record(String error) {
            errors++;
            if (firstError == null) {
                firstError = error;
            }
        }

        /** Latencies recorded since the last call, in nanoseconds. */
        synchronized long[] drainLatencies() {
            long[] out = latenciesNanos.stream().mapToLong(Long::longValue).toArray();
            latenciesNanos.clear();
            return out;
        }

        Result stop() {
            running = false;
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                long[] all = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
                long p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1000;
                return new Result(roundTrips, errors, firstError, p99);
            }
        }

        record Result(long roundTrips, long errors, String firstError, long p99Micros) {
        }
    }
}
