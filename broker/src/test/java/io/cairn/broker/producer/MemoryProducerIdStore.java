package io.cairn.broker.producer;

/** A {@link ProducerIdStore} in memory that counts its durable writes, for tests. */
public final class MemoryProducerIdStore implements ProducerIdStore {
    private long value;
    private int writes;

    @Override
    public synchronized long readNextBlockStart() {
        return value;
    }

    @Override
    public synchronized void writeNextBlockStart(long nextBlockStart) {
        value = nextBlockStart;
        writes++;
    }

    public synchronized long value() {
        return value;
    }

    public synchronized int writes() {
        return writes;
    }
}
