package io.cairn.client.producer;

/**
 * The 32-bit murmur2 hash exactly as Kafka's default partitioner computes it (seed {@code 0x9747b28c},
 * little-endian 4-byte blocks), so keyed records land in the same partition a Kafka producer would
 * choose for the same key bytes and partition count. Stateless and thread-safe.
 */
public final class Murmur2 {
    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Murmur2() {
    }

    /** The murmur2 hash of {@code data}. */
    public static int hash(byte[] data) {
        int length = data.length;
        int h = SEED ^ length;
        int blocks = length >>> 2;
        for (int i = 0; i < blocks; i++) {
            int i4 = i << 2;
            int k = (data[i4] & 0xff) | (data[i4 + 1] & 0xff) << 8 | (data[i4 + 2] & 0xff) << 16
                    | (data[i4 + 3] & 0xff) << 24;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        int tail = length & ~3;
        int rest = length & 3;
        if (rest == 3) {
            h ^= (data[tail + 2] & 0xff) << 16;
        }
        if (rest >= 2) {
            h ^= (data[tail + 1] & 0xff) << 8;
        }
        if (rest >= 1) {
            h ^= data[tail] & 0xff;
            h *= M;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /** Clears the sign bit, as Kafka's {@code Utils.toPositive} does (not {@code Math.abs}). */
    public static int toPositive(int n) {
        return n & 0x7fffffff;
    }

    /** The partition Kafka's default partitioner picks for {@code keyBytes} among {@code numPartitions}. */
    public static int partition(byte[] keyBytes, int numPartitions) {
        if (numPartitions <= 0) {
            throw new IllegalArgumentException("numPartitions must be > 0: " + numPartitions);
        }
        return toPositive(hash(keyBytes)) % numPartitions;
    }
}
