package io.cairn.client.producer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The producer's built-in partitioner, with Kafka's behaviour: a record with a key goes to
 * {@code toPositive(murmur2(keyBytes)) % numPartitions}; a record without a key goes to a sticky
 * partition that changes (to a random other one) after about {@code batch.size} bytes were sent to
 * it, so unkeyed records fill whole batches instead of spreading thin ones across every partition.
 * Thread-safe.
 */
public final class DefaultPartitioner implements Partitioner {
    private final int stickyBytes;
    private final ConcurrentHashMap<String, Sticky> sticky = new ConcurrentHashMap<>();

    /** A partitioner whose sticky partition changes after {@code stickyBytes} bytes (normally batch.size). */
    public DefaultPartitioner(int stickyBytes) {
        this.stickyBytes = Math.max(1, stickyBytes);
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                         int numPartitions) {
        if (keyBytes != null) {
            return Murmur2.partition(keyBytes, numPartitions);
        }
        int size = (valueBytes == null ? 0 : valueBytes.length) + 16;
        return sticky.computeIfAbsent(topic, t -> new Sticky()).next(size, numPartitions, stickyBytes);
    }

    /** The sticky partition of one topic and the bytes sent to it since it was chosen. */
    private static final class Sticky {
        private volatile int partition = -1;
        private final AtomicLong bytes = new AtomicLong();

        int next(int size, int numPartitions, int limit) {
            int p = partition;
            if (p < 0 || p >= numPartitions || bytes.addAndGet(size) > limit) {
                synchronized (this) {
                    if (partition == p) {
                        partition = p = choose(p, numPartitions);
                        bytes.set(size);
                    } else {
                        p = partition;
                    }
                }
            }
            return p;
        }

        private static int choose(int previous, int numPartitions) {
            if (numPartitions == 1) {
                return 0;
            }
            int p = ThreadLocalRandom.current().nextInt(numPartitions - 1);
            return previous >= 0 && previous < numPartitions && p >= previous ? p + 1 : p;
        }
    }
}
