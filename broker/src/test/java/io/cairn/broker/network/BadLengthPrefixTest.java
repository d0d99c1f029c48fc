package io.cairn.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability scenario 12: a frame length of -1, 2^31-1 or just over {@code max.frame.bytes}
 * closes the connection within 1 s, and neither that nor a thousand such connections, nor
 * connections that claim a length just under the limit and never send it, make the broker hold
 * memory sized by the claim: Netty's pinned pooled memory and the used heap grow by less than
 * 1 MiB.
 */
class BadLengthPrefixTest {
    private static final int MAX_FRAME_BYTES = 1 << 20;
    private static final long ONE_MIB = 1 << 20;
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(1);
    private static final long[] BAD_LENGTHS = {0xFFFF_FFFFL, 0x7FFF_FFFFL, MAX_FRAME_BYTES + 1L, 0x8000_0000L};

    @TempDir
    static Path dir;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.builder(dir).set("max.frame.bytes", Integer.toString(MAX_FRAME_BYTES))
                .set("message.max.bytes", Integer.toString(MAX_FRAME_BYTES - 4096))
                .extensions(List::of).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @ParameterizedTest(name = "length 0x{0}")
    @ValueSource(strings = {"ffffffff", "7fffffff", "100001", "80000000"})
    void aBadLengthClosesTheConnectionWithinOneSecond(String hexLength) {
        long length = Long.parseLong(hexLength, 16);
        long badFramesBefore = broker.broker().networkEvents().badFrames();
        try (RawClient client = broker.rawClient()) {
            client.assertServes(); // the connection is established and served before the bad frame
            client.sendRaw(header(3, length));
            await("connection closed after a frame claiming " + length + " bytes").atMost(CLOSE_WITHIN)
                    .pollInterval(Duration.ofMillis(10)).pollDelay(Duration.ZERO)
                    .until(() -> client.awaitClosedByPeer(Duration.ofMillis(20)));
        }
        assertThat(broker.broker().networkEvents().badFrames()).isEqualTo(badFramesBefore + 1);
        try (RawClient other = broker.rawClient()) {
            other.assertServes();
        }
    }

    @Test
    void thousandsOfBadLengthsLeaveNoMemoryBehind() {
        // Warm up: connection set-up, logging and the pool's thread caches allocate once.
        sendBadLengths(200);
        Memory before = Memory.settled();

        sendBadLengths(2000);
        await("every bad connection is closed").atMost(Duration.ofSeconds(30)).until(() -> broker.broker().openConnections() == 0);
        Memory after = Memory.settled();
        System.out.printf("2000 bad length prefixes: pinned pooled memory %+d bytes, used heap %+d bytes%n",
                after.pinnedBytes - before.pinnedBytes, after.heapBytes - before.heapBytes);

        assertThat(after.pinnedBytes - before.pinnedBytes).as("Netty pooled memory pinned by buffers").isLessThan(ONE_MIB);
        assertThat(after.heapBytes - before.heapBytes).as("used heap after GC").isLessThan(ONE_MIB);
    }

    @Test
    void claimsJustUnderTheLimitThatNeverArriveCostOnlyWhatArrived() {
        // Warm up: the first waiting connections load classes and size caches once.
        holdWaitingClaims(20, () -> { });
        Memory before = Memory.settled();
        holdWaitingClaims(20, () -> {
            Memory during = Memory.settled();
            System.out.printf("20 waiting claims of 1 MiB: pinned pooled memory %+d bytes, used heap %+d bytes%n",
                    during.pinnedBytes - before.pinnedBytes, during.heapBytes - before.heapBytes);
            assertThat(during.pinnedBytes - before.pinnedBytes).as("pooled memory pinned while 20 x 1 MiB are claimed")
                    .isLessThan(ONE_MIB);
            assertThat(during.heapBytes - before.heapBytes).as("used heap while 20 x 1 MiB are claimed").isLessThan(ONE_MIB);
        });
    }

    /** Opens {@code n} connections that each claim a frame of 1 MiB - 1 and send 100 bytes of it, runs {@code whileWaiting}, closes them. */
    private static void holdWaitingClaims(int n, Runnable whileWaiting) {
        List<RawClient> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                RawClient client = broker.rawClient();
                waiting.add(client);
                client.sendRaw(header(0, MAX_FRAME_BYTES - 1));
                client.sendRaw(new byte[100]);
            }
            await("the broker holds all the waiting connections").atMost(Duration.ofSeconds(10))
                    .until(() -> broker.broker().openConnections() == n);
            whileWaiting.run();
        } finally {
            waiting.forEach(RawClient::close);
        }
        await("the waiting connections are gone").atMost(Duration.ofSeconds(10)).until(() -> broker.broker().openConnections() == 0);
    }

    private static void sendBadLengths(int connections) {
        for (int i = 0; i < connections; i++) {
            try (RawClient client = broker.rawClient()) {
                client.sendRaw(header(i % 2 == 0 ? 0 : 18, BAD_LENGTHS[i % BAD_LENGTHS.length]));
                assertThat(client.awaitClosedByPeer(Duration.ofSeconds(10))).isTrue();
            }
        }
    }


    private static byte[] header(int type, long length) {
        return ByteBuffer.allocate(6).putShort((short) type).putInt((int) length).array();
    }

    /** Memory held by the broker's JVM once garbage is collected: the least of a few readings. */
    private record Memory(long pinnedBytes, long heapBytes) {
        private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

        static Memory settled() {
            long pinned = Long.MAX_VALUE;
            long heap = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                System.gc();
                pinned = Math.min(pinned, PooledByteBufAllocator.DEFAULT.pinnedDirectMemory()
                        + PooledByteBufAllocator.DEFAULT.pinnedHeapMemory());
                heap = Math.min(heap, MEMORY.getHeapMemoryUsage().getUsed());
            }
            return new Memory(pinned, heap);
        }
    }
}
