package io.cairn.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.testing.KafkaMurmur2;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link Murmur2} against values published for Kafka's murmur2 (Kafka's own UtilsTest and the
 * cross-implementation vectors other Kafka-compatible projects test against) and against a second,
 * deliberately naive transcription of the published algorithm.
 */
class Murmur2Test {
    @Test
    void matchesKafkaPublishedHashes() {
        assertThat(Murmur2.hash(bytes("21"))).isEqualTo(-973932308);
        assertThat(Murmur2.hash(bytes("foobar"))).isEqualTo(-790332482);
        assertThat(Murmur2.hash(bytes("a-little-bit-long-string"))).isEqualTo(-985981536);
        assertThat(Murmur2.hash(bytes("a-little-bit-longer-string"))).isEqualTo(-1486304829);
        assertThat(Murmur2.hash(bytes("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"))).isEqualTo(-58897971);
        assertThat(Murmur2.hash(new byte[] {'a', 'b', 'c'})).isEqualTo(479470107);
        assertThat(Murmur2.hash(bytes("1"))).isEqualTo(-1993445489);
        assertThat(Murmur2.hash(bytes("12"))).isEqualTo(126087238);
        assertThat(Murmur2.hash(bytes("123"))).isEqualTo(-267702483);
        assertThat(Murmur2.hash(bytes("1234"))).isEqualTo(-1614185708);
        assertThat(Murmur2.hash(bytes("12345"))).isEqualTo(-1188365604);
    }

    @Test
    void partitionClearsTheSignBitLikeKafka() {
        // -973932308 & 0x7fffffff = 1173551340; a Kafka producer puts key "21" there modulo the count.
        assertThat(Murmur2.partition(bytes("21"), 6)).isEqualTo(1173551340 % 6);
        assertThat(Murmur2.partition(bytes("foobar"), 10)).isEqualTo((-790332482 & 0x7fffffff) % 10);
    }

    @Property(tries = 500)
    void agreesWithAnIndependentTranscription(@ForAll byte[] key) {
        assertThat(Murmur2.hash(key)).isEqualTo(reference(key));
    }

    /** The independent transcription in {@link KafkaMurmur2}. */
    static int reference(byte[] data) {
        return KafkaMurmur2.hash(data);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
