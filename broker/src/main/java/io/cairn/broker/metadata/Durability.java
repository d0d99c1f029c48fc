package io.cairn.broker.metadata;

/** How durable a metadata write is when the call returns. */
public enum Durability {
    /**
     * The write-ahead log is fsynced before returning: survives power loss. Use for anything that
     * must agree with files on disk (topic registry) or that a client was told is done.
     */
    SYNC,
    /**
     * Written to the write-ahead log without fsync: survives a crash of the process, not of the
     * machine. Use for state that can be rebuilt (views, caches).
     */
    BUFFERED
}
