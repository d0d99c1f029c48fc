package io.cairn.broker.producer;

/**
 * Durable home of the producer-id counter: the first id of the next block that may be handed
 * out. Implementations must make {@link #writeNextBlockStart} durable before returning.
 */
public interface ProducerIdStore {
    /** The stored next block start, or 0 if none was ever stored. */
    long readNextBlockStart();

    /** Stores the next block start durably. */
    void writeNextBlockStart(long nextBlockStart);
}
