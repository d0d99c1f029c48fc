package io.cairn.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random bytes against one broker: whatever arrives, the broker answers exactly when a response
 * can be addressed (the request header parses) and closes the connection otherwise, and it keeps
 * serving everyone else. Core APIs only; the random API keys leave out those that change state.
 */
class GarbageProperties {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** CreateTopics, DeleteTopics, AlterConfigs, CreatePartitions: a random body could be a valid change. */
    private static final List<Integer> MUTATING = List.of(19, 20, 33, 37);

    private static Path dir;
    private static EmbeddedBroker broker;
    private static RawClient bystander;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("cairn-garbage");
        broker = EmbeddedBroker.builder(dir).extensions(List::of).start();
        broker.createTopic("keep", 1);
        bystander = broker.rawClient();
    }

    @AfterContainer
    static void stop() throws IOException {
        bystander.close();
        broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property(tries = 60)
    void unframedGarbageNeverHurtsTheBroker(@ForAll @Size(min = 1, max = 400) byte[] garbage) {
        try (RawClient client = broker.rawClient()) {
            client.sendRaw(garbage);
        }
        assertEveryoneIsServed();
    }

    @Property(tries = 150)
    void aFramedRequestIsAnsweredExactlyWhenItsHeaderParses(@ForAll("frameTypes") int type,
                                                            @ForAll @Size(max = 64) byte[] value) {
        boolean answerable = (type & 0x8000) == 0 && headerParses(value);
        try (RawClient client = broker.rawClient()) {
            client.sendFrame(type, value);
            Optional<RawClient.Response> response = client.receiveUnlessClosed(WAIT);
            if (answerable) {
                assertThat(response).as("response to type %d", type).isPresent();
                assertThat(response.get().type()).isEqualTo(type | 0x8000);
                assertThat(response.get().correlationId()).isEqualTo(ByteBuffer.wrap(value).getInt(2));
            } else {
                assertThat(response).as("connection closed for type %d", type).isEmpty();
            }
        }
        assertEveryoneIsServed();
    }

    @Provide
    Arbitrary<Integer> frameTypes() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, 3, 18, 32, 999, 0x7FFF, 0x8012),
                Arbitraries.integers().between(0, 0xFFFF))
                .filter(t -> !MUTATING.contains(t));
    }

    /** apiVersion:u16 correlationId:i32 clientId:str fit in the value. */
    private static boolean headerParses(byte[] value) {
        if (value.length < 8) {
            return false;
        }
        int clientIdLength = ByteBuffer.wrap(value).getShort(6) & 0xFFFF;
        return clientIdLength == 0xFFFF || 8 + clientIdLength <= value.length;
    }

    private static void assertEveryoneIsServed() {
        bystander.assertServes();
        try (RawClient fresh = broker.rawClient()) {
            fresh.assertServes();
        }
        assertThat(broker.broker().topics().liveTopics()).extracting(t -> t.name()).containsExactly("keep");
    }
}
