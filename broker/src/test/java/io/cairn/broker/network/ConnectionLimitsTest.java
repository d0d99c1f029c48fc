package io.cairn.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** max.connections and idle-connection reaping, over real sockets (see also RequestDispatchTest for parked requests). */
class ConnectionLimitsTest {
    @TempDir
    Path dir;

    @Test
    void connectionsBeyondMaxConnectionsAreClosedOnAccept() {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(dir).set("max.connections", "2").start();
             RawClient first = broker.rawClient();
             RawClient second = broker.rawClient()) {
            first.assertServes();
            second.assertServes();

            try (RawClient third = broker.rawClient()) {
                assertThat(third.awaitClosedByPeer(Duration.ofSeconds(10))).isTrue();
            }
            assertThat(broker.broker().networkEvents().rejectedConnections()).isEqualTo(1);
            first.assertServes();

            second.close();
            await("the broker saw the second connection close").atMost(Duration.ofSeconds(10))
                    .until(() -> broker.broker().openConnections() == 1);
            try (RawClient again = broker.rawClient()) {
                again.assertServes();
            }
        }
    }

    @Test
    void idleConnectionsAreClosedAndActiveOnesAreNot() {
        try (EmbeddedBroker broker = EmbeddedBroker.builder(dir).set("connections.max.idle.ms", "300").start();
             RawClient idle = broker.rawClient()) {
            idle.assertServes();
            assertThat(idle.awaitClosedByPeer(Duration.ofSeconds(10))).isTrue();
            await("the broker counts the reaped connection as closed").atMost(Duration.ofSeconds(10))
                    .until(() -> broker.broker().openConnections() == 0);

            try (RawClient active = broker.rawClient()) {
                long deadline = System.nanoTime() + Duration.ofMillis(900).toNanos();
                while (System.nanoTime() < deadline) {
                    active.assertServes(); // traffic well inside every 300 ms window keeps it open
                }
                active.assertServes();
            }
        }
    }

}
