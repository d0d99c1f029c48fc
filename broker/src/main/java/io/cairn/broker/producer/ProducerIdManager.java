package io.cairn.broker.producer;

import java.util.Objects;

/**
 * Hands out producer ids for {@code InitProducerId}. Ids come from blocks reserved in a durable
 * counter ({@link ProducerIdStore}): one durable write per {@code blockSize} ids, and ids of a
 * block not used before a crash are skipped, never handed out twice.
 *
 * <p>Thread-safe: {@link #nextProducerId()} is synchronized (it is called once per producer
 * session, and the durable write happens once per block).
 */
public final class ProducerIdManager {
    /** Epoch of a newly allocated producer id. */
    public static final short INITIAL_EPOCH = 0;

    private final ProducerIdStore store;
    private final int blockSize;
    private long next;
    private long blockEnd;

    public ProducerIdManager(ProducerIdStore store, int blockSize) {
        this.store = Objects.requireNonNull(store, "store");
        if (blockSize < 1) {
            throw new IllegalArgumentException("producer id block size=" + blockSize + " must be at least 1");
        }
        this.blockSize = blockSize;
    }

    /** A producer id never handed out before, on this broker, across restarts. */
    public synchronized long nextProducerId() {
        if (next == blockEnd) {
            long start = store.readNextBlockStart();
            if (start < 0 || start > Long.MAX_VALUE - blockSize) {
                throw new IllegalStateException("stored producer id block start=" + start + " is outside [0, "
                        + (Long.MAX_VALUE - blockSize) + "]");
            }
            store.writeNextBlockStart(start + blockSize);
            next = start;
            blockEnd = start + blockSize;
        }
        return next++;
    }
}
