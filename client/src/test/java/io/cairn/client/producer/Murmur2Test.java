package io.cairn.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

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

    /** The published algorithm written out step by step with longs masked to 32 bits. */
    static int reference(byte[] data) {
        long mask = 0xFFFFFFFFL;
        long m = 0x5bd1e995L;
        long h = (0x9747b28cL ^ data.length) & mask;
        int i = 0;
        while (data.length - i >= 4) {
            long k = (data[i] & 0xffL) | ((data[i + 1] & 0xffL) << 8) | ((data[i + 2] & 0xffL) << 16)
                    | ((data[i + 3] & 0xffL) << 24);
            k = (k * m) & mask;
            k ^= k >>> 24;
            k = (k * m) & mask;
            h = (h * m) & mask;
            h ^= k;
            i += 4;
        }
        int rest = data.length - i;
        switch (rest) {
            case 3 -> {
                h ^= (data[i + 2] & 0xffL) << 16;
                h ^= (data[i + 1] & 0xffL) << 8;
                h ^= data[i] & 0xffL;
                h = (h * m) & mask;
            }
            case 2 -> {
                h ^= (data[i + 1] & 0xffL) << 8;
                h ^= data[i] & 0xffL;
                h = (h * m) & mask;
            }
            case 1 -> {
                h ^= data[i] & 0xffL;
                h = (h * m) & mask;
            }
            default -> { }
        }
        h ^= h >>> 13;
        h = (h * m) & mask;
        h ^= h >>> 15;
        return (int) h;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
