package io.cairn.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.errors.ConfigException;
import io.cairn.client.producer.ProducerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {
    private static Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", "localhost:7390");
        return m;
    }

    @Test
    void defaultsAreKafkas() {
        ProducerConfig c = new ProducerConfig(base());
        assertThat(c.acks()).isEqualTo((short) -1);
        assertThat(c.idempotent()).isTrue();
        assertThat(c.batchSize()).isEqualTo(16384);
        assertThat(c.bufferMemory()).isEqualTo(32L << 20);
        assertThat(c.maxInFlightRequestsPerConnection()).isEqualTo(5);
        assertThat(c.deliveryTimeoutMs()).isEqualTo(120_000);
        assertThat(c.bootstrapServers()).containsExactly("localhost:7390");
        assertThat(c.compressionType()).isEqualTo("none");
    }

    @Test
    void acceptsTextAndTypedValues() {
        Map<String, Object> m = base();
        m.put("linger.ms", "20");
        m.put("batch.size", 1000);
        m.put("compression.type", "ZSTD");
        m.put("bootstrap.servers", List.of("a:1", "b:2"));
        m.put("enable.idempotence", "false");
        m.put("acks", "1");
        ProducerConfig c = new ProducerConfig(m);
        assertThat(c.lingerMs()).isEqualTo(20);
        assertThat(c.batchSize()).isEqualTo(1000);
        assertThat(c.compressionType()).isEqualTo("zstd");
        assertThat(c.bootstrapServers()).containsExactly("a:1", "b:2");
        assertThat(c.idempotent()).isFalse();
        assertThat(c.acks()).isEqualTo((short) 1);
    }

    @Test
    void unknownKeysAreNamed() {
        Map<String, Object> m = base();
        m.put("linger.msec", 5);
        m.put("bach.size", 5);
        assertThatThrownBy(() -> new ProducerConfig(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown producer config keys bach.size, linger.msec");
    }

    @Test
    void badValuesAreNamed() {
        Map<String, Object> m = base();
        m.put("linger.ms", "soon");
        assertThatThrownBy(() -> new ProducerConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'soon'").hasMessageContaining("linger.ms");
        m.put("linger.ms", -1);
        assertThatThrownBy(() -> new ProducerConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessage("invalid value -1 for linger.ms: must be >= 0");
        m.put("linger.ms", 1);
        m.put("compression.type", "brotli");
        assertThatThrownBy(() -> new ProducerConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("brotli").hasMessageContaining("compression.type");
        m.remove("compression.type");
        m.put("batch.size", 5_000_000_000L);
        assertThatThrownBy(() -> new ProducerConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("batch.size");
    }

    @Test
    void bootstrapIsRequired() {
        assertThatThrownBy(() -> new ProducerConfig(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing required producer config bootstrap.servers");
        assertThatThrownBy(() -> new ProducerConfig(Map.of("bootstrap.servers", ""))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void idempotenceRules() {
        Map<String, Object> m = base();
        m.put("acks", "0");
        assertThat(new ProducerConfig(m).idempotent()).as("weaker acks switch the default off").isFalse();
        m.put("enable.idempotence", true);
        assertThatThrownBy(() -> new ProducerConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requires acks=all");
        m.put("acks", "all");
        m.put("max.in.flight.requests.per.connection", 6);
        assertThatThrownBy(() -> new ProducerConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("<= 5");
    }

    @Test
    void deliveryTimeoutCoversLingerAndRequestTimeout() {
        Map<String, Object> m = base();
        m.put("delivery.timeout.ms", 1000);
        m.put("request.timeout.ms", 2000);
        assertThatThrownBy(() -> new ProducerConfig(m)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("delivery.timeout.ms");
    }
}
