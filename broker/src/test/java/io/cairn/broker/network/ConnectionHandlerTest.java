package io.cairn.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.wire.Frame;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Back-pressure of one connection, driven frame by frame on an EmbeddedChannel. */
class ConnectionHandlerTest {
    private final List<CompletableFuture<OutboundResponse>> pending = new ArrayList<>();
    private final List<Frame> processed = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger notReading = new AtomicInteger();
    private EmbeddedChannel channel;
    private ConnectionHandler handler;

    @BeforeEach
    void setUp() {
        NetworkConfig config = new NetworkConfig("127.0.0.1", 0, 1, 1024, 10, 0, 0, 1 << 20, 2, 1024, 2048);
        RequestProcessor processor = (connection, frame) -> {
            processed.add(frame);
            frame.release();
            CompletableFuture<OutboundResponse> response = new CompletableFuture<>();
            pending.add(response);
            return response;
        };
        channel = new EmbeddedChannel();
        handler = new ConnectionHandler(new Connection(1, channel), processor, config, new RecordingNetworkEvents(), inFlight, notReading);
        channel.pipeline().addLast(handler);
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void framesBeyondTheInFlightBoundAreHeldAndReadingStops() {
        for (int i = 0; i < 4; i++) {
            channel.writeInbound(frame(i));
        }

        assertThat(processed).extracting(Frame::type).containsExactly(0, 1);
        assertThat(handler.held()).isEqualTo(2);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(notReading.get()).isEqualTo(1);
        assertThat(inFlight.get()).isEqualTo(2);

        pending.get(0).complete(null);
        channel.runPendingTasks();
        assertThat(processed).extracting(Frame::type).containsExactly(0, 1, 2);
        assertThat(channel.config().isAutoRead()).as("one frame still held").isFalse();

        pending.get(1).complete(null);
        pending.get(2).complete(null);
        channel.runPendingTasks();
        assertThat(processed).extracting(Frame::type).containsExactly(0, 1, 2, 3);
        assertThat(handler.held()).isZero();
        assertThat(channel.config().isAutoRead()).as("one in flight, under the bound of two").isTrue();
        assertThat(notReading.get()).isZero();

        pending.get(3).complete(null);
        channel.runPendingTasks();
        assertThat(inFlight.get()).isZero();
    }

    @Test
    void anUnwritableChannelStopsProcessingUntilItDrains() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.runPendingTasks();
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.writeInbound(frame(7));
        assertThat(processed).isEmpty();
        assertThat(handler.held()).isEqualTo(1);

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks();
        assertThat(processed).extracting(Frame::type).containsExactly(7);
        assertThat(channel.config().isAutoRead()).isTrue();
        pending.get(0).complete(null);
        channel.runPendingTasks();
    }

    @Test
    void heldFramesAreReleasedWhenTheConnectionCloses() {
        for (int i = 0; i < 3; i++) {
            channel.writeInbound(frame(i));
        }
        Frame held = frame(9);
        channel.writeInbound(held);
        assertThat(held.value().refCnt()).isEqualTo(1);

        channel.close();

        assertThat(held.value().refCnt()).isZero();
        assertThat(notReading.get()).isZero();
    }

    private static Frame frame(int type) {
        return new Frame(type, Unpooled.buffer(4).writeInt(type));
    }
}
