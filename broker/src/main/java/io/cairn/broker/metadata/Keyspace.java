package io.cairn.broker.metadata;

/**
 * The named keyspaces of the {@link MetadataStore}, each a RocksDB column family. Adding a
 * constant adds a column family; existing stores get it created empty on their next open.
 */
public enum Keyspace {
    /** Store-wide markers: format version, registry state. Keys are ASCII names. */
    META("meta"),
    /** Topic registry: topic name to id, partition count and state ({@link TopicRecordCodec}). */
    TOPICS("topics"),
    /** Config overrides: {@code topic/<name>} to the topic's overrides ({@link TopicRecordCodec}). */
    CONFIGS("configs"),
    /** Idempotent-producer state per partition and producer id, owned by the producer-state manager. */
    PRODUCER_STATE("producer-state"),
    /** Materialized view of {@code __consumer_offsets} and the offset it reflects, owned by the group coordinator. */
    GROUP_OFFSETS("group-offsets");

    private final String columnFamily;

    Keyspace(String columnFamily) {
        this.columnFamily = columnFamily;
    }

    /** Name of the RocksDB column family. */
    public String columnFamily() {
        return columnFamily;
    }
}
