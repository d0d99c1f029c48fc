package io.cairn.client.testing;

/**
 * Kafka's murmur2 written out again from the published algorithm, step by step with longs masked to
 * 32 bits and the tail handled case by case: an oracle for the client's {@code Murmur2}, sharing no
 * code with it.
 */
public final class KafkaMurmur2 {
    private KafkaMurmur2() {
    }

    /** The 32-bit murmur2 hash of {@code data} with Kafka's seed. */
    public static int hash(byte[] data) {
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
}
