package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.testing.FakeBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every thread a client starts is gone once it is closed. */
class ClientLifecycleTest {
    private static List<String> threadsOf(String clientId) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("cairn-") && n.endsWith(clientId)).toList();
    }

    @Test
    void closeStopsEveryThread() throws Exception {
        try (FakeBroker broker = new FakeBroker(Map.of("t", 2))) {
            CairnProducer<byte[], byte[]> producer = CairnProducer.builder().bootstrapServers(broker.bootstrap())
                    .clientId("life-p").build();
            producer.send(new ProducerRecord<>("t", null, new byte[] {1})).get(10, TimeUnit.SECONDS);
            CairnConsumer<byte[], byte[]> consumer = CairnConsumer.builder().bootstrapServers(broker.bootstrap())
                    .clientId("life-c").config("group.id", "life").build();
            consumer.subscribe(List.of("t"));
            consumer.poll(Duration.ofMillis(200));
            CairnAdmin admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).clientId("life-a").build();
            admin.listTopics().get(10, TimeUnit.SECONDS);
            // One thread: the sender and the callbacks run on the producer's network thread.
            assertThat(threadsOf("life-p")).containsExactly("cairn-producer-net-life-p");
            assertThat(threadsOf("life-c")).hasSize(2);
            assertThat(threadsOf("life-a")).isNotEmpty();

            producer.close();
            consumer.close();
            admin.close();
            await("client threads stopped").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(threadsOf("life-p")).isEmpty();
                assertThat(threadsOf("life-c")).isEmpty();
                assertThat(threadsOf("life-a")).isEmpty();
            });
        }
    }
}
