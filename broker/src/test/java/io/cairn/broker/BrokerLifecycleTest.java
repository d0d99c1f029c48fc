package io.cairn.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.broker.config.BrokerConfig;
import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void startsOnAFreePortAndAnswersApiVersions() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir)) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.bootstrap()).isEqualTo("127.0.0.1:" + broker.port());
            try (RawClient client = broker.rawClient()) {
                client.assertServes();
            }
        }
    }

    @Test
    void stopClosesTheListenerAndIsIdempotent() {
        EmbeddedBroker broker = EmbeddedBroker.start(dir);
        int port = broker.port();
        broker.stop();
        broker.stop();

        assertThat(broker.broker().isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void restartComesBackOnTheSamePort() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir)) {
            int port = broker.port();
            broker.restart();
            assertThat(broker.port()).isEqualTo(port);
            try (RawClient client = broker.rawClient()) {
                client.assertServes();
            }
            broker.crash();
            broker.restart();
            try (RawClient client = broker.rawClient()) {
                client.assertServes();
            }
        }
    }

    @Test
    void aTakenPortFailsStartUpWithTheAddressAndLeavesNothingRunning() {
        try (EmbeddedBroker first = EmbeddedBroker.start(dir.resolve("a"))) {
            BrokerConfig config = BrokerConfig.of(Map.of("host", "127.0.0.1", "port", Integer.toString(first.port()),
                    "metrics.port", "-1", "data.dir", dir.resolve("b").toString()));
            assertThatThrownBy(() -> Broker.start(config, List.of()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + first.port());
        }
    }

    @Test
    void extensionsStartInOrderAndCloseInReverse() throws IOException {
        List<String> events = new ArrayList<>();
        List<BrokerExtension> extensions = List.of(new Recording("a", events), new Recording("b", events));
        Broker broker = Broker.start(BrokerConfig.of(Map.of("host", "127.0.0.1", "port", "0", "metrics.port", "-1",
                "data.dir", dir.toString())), extensions);
        broker.stop();

        assertThat(events).containsExactly("start a", "start b", "begin b", "begin a", "close b", "close a");
    }

    @Test
    void aFailingExtensionAbortsStartUpAndClosesTheOnesStartedBefore() {
        List<String> events = new ArrayList<>();
        BrokerExtension failing = new Recording("bad", events) {
            @Override
            public void start(BrokerContext context) {
                throw new UncheckedIOException(new IOException("cannot open state"));
            }
        };
        BrokerConfig config = BrokerConfig.of(Map.of("host", "127.0.0.1", "port", "0", "metrics.port", "-1",
                "data.dir", dir.toString()));

        assertThatThrownBy(() -> Broker.start(config, List.of(new Recording("a", events), failing)))
                .hasMessageContaining("cannot open state");
        assertThat(events).containsExactly("start a", "close a");
    }

    @Test
    void haltSkipsTheCleanPathOfExtensions() throws IOException {
        List<String> events = new ArrayList<>();
        Broker broker = Broker.start(BrokerConfig.of(Map.of("host", "127.0.0.1", "port", "0", "metrics.port", "-1",
                "data.dir", dir.toString())), List.of(new Recording("a", events)));
        broker.halt();
        broker.stop();

        assertThat(events).containsExactly("start a", "halt a");
    }

    private static class Recording implements BrokerExtension {
        private final String name;
        private final List<String> events;

        Recording(String name, List<String> events) {
            this.name = name;
            this.events = events;
        }

        @Override
        public void start(BrokerContext context) {
            events.add("start " + name);
        }

        @Override
        public void beginShutdown() {
            events.add("begin " + name);
        }

        @Override
        public void close() {
            events.add("close " + name);
        }

        @Override
        public void halt() {
            events.add("halt " + name);
        }
    }
}
