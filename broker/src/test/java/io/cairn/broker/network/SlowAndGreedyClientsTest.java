package io.cairn.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.broker.testing.RawDataPath;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.wire.ErrorCode;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability scenario 15: slow and greedy clients. A client trickling a frame is reaped by
 * {@code frame.read.timeout.ms}; a client that never reads its responses is stopped being read
 * from (back-pressure) and costs bounded memory; thousands of idle connections are reaped by
 * {@code connections.max.idle.ms}; a connection flood beyond {@code max.connections} is refused
 * at accept. Throughout, a normal client on its own connection keeps producing and fetching.
 * Timeouts are shrunk through the broker's configuration so the suite stays fast.
 */
class SlowAndGreedyClientsTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aClientTricklingAFrameIsReapedEvenThoughEveryByteIsTraffic() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(dir).set("connections.max.idle.ms", "300")
                .set("frame.read.timeout.ms", "1000").extensions(List::of).start();
             RawClient normal = broker.rawClient();
             Socket slowloris = connect(broker)) {
            // A frame header claiming 200 bytes, then one byte every 100 ms: every byte resets the
            // 300 ms idle timer, and the whole frame would take 20 s.
            OutputStream out = slowloris.getOutputStream();
            out.write(ByteBuffer.allocate(6).putShort((short) 18).putInt(200).array());
            long start = System.nanoTime();
            int sent = 0;
            boolean closed = false;
            while (!closed && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
                try {
                    out.write(0);
                    out.flush();
                    sent++;
                } catch (IOException reset) {
                    closed = true;
                    break;
                }
                closed = RawClient.closedByPeer(slowloris, Duration.ofMillis(100));
                normal.assertServes(); // the normal client is served all along
            }
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(closed).as("slowloris reaped (sent %d bytes in %d ms)", sent, tookMs).isTrue();
            assertThat(tookMs).as("reaped after frame.read.timeout.ms=1000, not before").isBetween(900L, 5_000L);
            assertThat(sent).isLessThan(200);
            assertThat(broker.broker().networkEvents().slowFrames()).isEqualTo(1);
            normal.assertServes();
        }
    }

    /** The real thing at default settings: one byte per second; reaped by the default 30 s frame timeout. */
    @Test
    @Tag("soak")
    void aOneBytePerSecondSlowlorisIsReapedByTheDefaultFrameTimeout() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(dir).extensions(List::of).start();
             RawClient normal = broker.rawClient();
             Socket slowloris = connect(broker)) {
            OutputStream out = slowloris.getOutputStream();
            out.write(ByteBuffer.allocate(6).putShort((short) 18).putInt(200).array());
            long start = System.nanoTime();
            boolean closed = false;
            int sent = 0;
            while (!closed && System.nanoTime() - start < Duration.ofSeconds(60).toNanos()) {
                try {
                    out.write(0);
                    out.flush();
                    sent++;
                } catch (IOException reset) {
                    break;
                }
                closed = RawClient.closedByPeer(slowloris, Duration.ofSeconds(1));
                normal.assertServes();
            }
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("one-byte-per-second slowloris reaped after %d ms having sent %d bytes%n", tookMs, sent);
            assertThat(tookMs).isBetween(29_000L, 40_000L);
            assertThat(broker.broker().networkEvents().slowFrames()).isEqualTo(1);
        }
    }

    @Test
    void aFrameTheBrokerHoldsBackIsNotCountedAgainstTheClient() {
        // Back-pressure keeps a half-read frame in the buffer while the broker is not reading:
        // that time must not reap the connection.
        try (EmbeddedBroker broker = EmbeddedBroker.builder(dir).set("frame.read.timeout.ms", "200")
                .extensions(List::of).start();
             RawClient client = broker.rawClient()) {
            byte[] frame = RawClient.apiVersionsFrame(1);
            client.sendRaw(java.util.Arrays.copyOf(frame, 10));
            client.sendRaw(java.util.Arrays.copyOfRange(frame, 10, frame.length));
            assertThat(client.receive().errorCode()).isEqualTo(ErrorCode.NONE.code());
            client.assertServes();
        }
    }

    @Test
    void aClientThatNeverReadsIsStoppedBeingReadFromAndCostsBoundedMemory() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(dir).set("max.unsent.response.bytes", "65536").start()) {
            broker.createTopic("data", 1);
            try (RawClient normal = broker.rawClient()) {
                for (int i = 0; i < 64; i++) {
                    RawDataPath.produce(normal, "data", 0, RawDataPath.batch(100, i * 100L));
                }
                byte[] fetchFrame = RawClient.bytes(ApiSpecs.FETCH.encodeRequest(UnpooledByteBufAllocator.DEFAULT,
                        RawDataPath.fetchRequest("data", 0, 0, 1 << 20), 0, 1, "greedy"));
                long pinnedBefore = pinnedPooledBytes();
                long heapBefore = usedHeapAfterGc();
                AtomicLong requestsWritten = new AtomicLong();
                AtomicBoolean stop = new AtomicBoolean();
                try (Socket greedy = connect(broker)) {
                    greedy.setReceiveBufferSize(4096);
                    Thread writer = new Thread(() -> {
                        try {
                            OutputStream out = greedy.getOutputStream();
                            while (!stop.get()) {
                                out.write(fetchFrame); // blocks once the broker stops reading
                                requestsWritten.incrementAndGet();
                            }
                        } catch (IOException closedAtTheEnd) {
                            // the test closed the socket
                        }
                    }, "greedy-writer");
                    writer.setDaemon(true);
                    writer.start();

                    await("the broker stops reading from the greedy client").atMost(Duration.ofSeconds(20))
                            .until(() -> broker.broker().pausedConnections() == 1);
                    long stalledAt = awaitStalled(requestsWritten);

                    // The normal client is served while the greedy one is held.
                    long end = RawDataPath.endOffset(normal, "data", 0);
                    ProduceResponse.PartitionResponse produced = RawDataPath.produce(normal, "data", 0, RawDataPath.batch(10, 0));
                    assertThat(produced.errorCode()).isZero();
                    assertThat(produced.baseOffset()).isEqualTo(end);
                    assertThat(RawDataPath.fetch(normal, "data", 0, end)).isNotEmpty();

                    long pinnedGrowth = pinnedPooledBytes() - pinnedBefore;
                    long heapGrowth = usedHeapAfterGc() - heapBefore;
                    System.out.printf("never-reading client: %d fetch requests written before TCP stalled it, "
                            + "broker paused it; pooled memory +%d KiB, heap +%d KiB%n",
                            stalledAt, pinnedGrowth >> 10, heapGrowth >> 10);
                    assertThat(pinnedGrowth).as("pooled memory held for the greedy client").isLessThan(8 * MIB);
                    assertThat(heapGrowth).as("heap held for the greedy client").isLessThan(16 * MIB);
                    assertThat(broker.broker().pausedConnections()).isEqualTo(1);
                    stop.set(true);
                }
                await("the greedy connection is released").atMost(Duration.ofSeconds(10))
                        .until(() -> broker.broker().openConnections() == 1 && broker.broker().pausedConnections() == 0);
                normal.assertServes();
            }
        }
    }

    @Test
    void fiveThousandIdleConnectionsAreReaped() throws Exception {
        int connections = 5000;
        try (EmbeddedBroker broker = EmbeddedBroker.builder(dir).set("connections.max.idle.ms", "4000")
                .extensions(List::of).start()) {
            long heapBefore = usedHeapAfterGc();
            List<Socket> idle = new ArrayList<>(connections);
            try {
                long start = System.nanoTime();
                for (int i = 0; i < connections; i++) {
                    idle.add(connect(broker));
                }
                long openedMs = (System.nanoTime() - start) / 1_000_000;
                int maxOpen = broker.broker().openConnections();
                await("the broker accepted every connection").atMost(Duration.ofSeconds(20))
                        .until(() -> broker.broker().networkEvents().acceptedConnections() >= connections);
                try (RawClient normal = broker.rawClient()) {
                    normal.assertServes();
                }
                await("every idle connection is reaped").atMost(Duration.ofSeconds(30))
                        .until(() -> broker.broker().openConnections() == 0);
                long reapedMs = (System.nanoTime() - start) / 1_000_000;
                for (Socket socket : idle) {
                    assertThat(RawClient.closedByPeer(socket, Duration.ofSeconds(5))).isTrue();
                }
                long heapGrowth = usedHeapAfterGc() - heapBefore;
                System.out.printf("%d idle connections opened in %d ms (%d open at once), all reaped %d ms after the "
                        + "first; heap +%d KiB after%n", connections, openedMs, maxOpen, reapedMs, heapGrowth >> 10);
                assertThat(heapGrowth).as("heap left behind by reaped connections").isLessThan(4 * MIB);
                assertThat(broker.broker().networkEvents().rejectedConnections()).isZero();
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aConnectionFloodIsRefusedBeyondMaxConnectionsWhileANormalClientWorks() throws Exception {
        int maxConnections = 100;
        int flood = 2000;
        try (EmbeddedBroker broker = EmbeddedBroker.builder(dir).set("max.connections", Integer.toString(maxConnections))
                .start()) {
            broker.createTopic("data", 1);
            try (RawClient normal = broker.rawClient()) {
                long heapBefore = usedHeapAfterGc();
                AtomicInteger maxSeen = new AtomicInteger();
                AtomicBoolean flooding = new AtomicBoolean(true);
                List<Socket> sockets = new ArrayList<>();
                Thread flooder = new Thread(() -> {
                    try {
                        for (int i = 0; i < flood; i++) {
                            sockets.add(connect(broker));
                            maxSeen.accumulateAndGet(broker.broker().openConnections(), Math::max);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException("flood connect failed", e);
                    } finally {
                        flooding.set(false);
                    }
                }, "flooder");
                flooder.start();
                int produces = 0;
                long expectedEnd = 0;
                while (flooding.get() || produces < 20) {
                    ProduceResponse.PartitionResponse produced = RawDataPath.produce(normal, "data", 0, RawDataPath.batch(5, produces));
                    assertThat(produced.errorCode()).isZero();
                    assertThat(produced.baseOffset()).isEqualTo(expectedEnd);
                    expectedEnd += 5;
                    assertThat(RawDataPath.fetch(normal, "data", 0, produced.baseOffset())).isNotEmpty();
                    maxSeen.accumulateAndGet(broker.broker().openConnections(), Math::max);
                    produces++;
                }
                flooder.join();
                await("connections beyond max.connections are closed").atMost(Duration.ofSeconds(30))
                        .until(() -> broker.broker().networkEvents().rejectedConnections() >= flood - maxConnections + 1);
                assertThat(maxSeen.get()).as("most connections open at once").isLessThanOrEqualTo(maxConnections);
                assertThat(broker.broker().openConnections()).isEqualTo(maxConnections);
                long heapGrowth = usedHeapAfterGc() - heapBefore;
                System.out.printf("flood of %d connections against max.connections=%d: %d refused, at most %d open, "
                        + "normal client made %d produce+fetch round trips meanwhile; heap +%d KiB%n", flood, maxConnections,
                        broker.broker().networkEvents().rejectedConnections(), maxSeen.get(), produces, heapGrowth >> 10);
                assertThat(heapGrowth).as("heap held during the flood").isLessThan(16 * MIB);
                for (Socket socket : sockets) {
                    socket.close();
                }
                await("the flood's connections are gone").atMost(Duration.ofSeconds(30))
                        .until(() -> broker.broker().openConnections() == 1);
                try (RawClient again = broker.rawClient()) {
                    again.assertServes();
                }
                assertThat(RawDataPath.endOffset(normal, "data", 0)).isEqualTo(expectedEnd);
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Socket connect(EmbeddedBroker broker) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", broker.port()), 10_000);
        return socket;
    }


    /** Waits until the writer has made no progress for a while (its socket is full) and returns its count. */
    private static long awaitStalled(AtomicLong written) {
        AtomicLong last = new AtomicLong(-1);
        AtomicInteger sameFor = new AtomicInteger();
        await("the greedy client's writes stall").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long now = written.get();
                    if (now == last.getAndSet(now)) {
                        return sameFor.incrementAndGet() >= 5;
                    }
                    sameFor.set(0);
                    return false;
                });
        return written.get();
    }




    private static long pinnedPooledBytes() {
        return PooledByteBufAllocator.DEFAULT.pinnedDirectMemory() + PooledByteBufAllocator.DEFAULT.pinnedHeapMemory();
    }

    private static long usedHeapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
