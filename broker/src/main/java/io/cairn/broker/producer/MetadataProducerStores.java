package io.cairn.broker.producer;

import io.cairn.broker.metadata.Durability;
import io.cairn.broker.metadata.Keyspace;
import io.cairn.broker.metadata.MetadataStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Producer state and the producer-id counter in the metadata store's {@link Keyspace#PRODUCER_STATE}
 * keyspace:
 *
 * <pre>
 * "snapshot/" + topic + "-" + partition  ->  {@link ProducerStateSnapshot} (buffered write: rebuildable from the log)
 * "next-producer-id-block"               ->  i64 (synced write: ids must never be handed out twice)
 * </pre>
 *
 * Thread-safe (the store is).
 */
public final class MetadataProducerStores implements ProducerStateStore, ProducerIdStore {
    private static final byte[] NEXT_BLOCK_KEY = "next-producer-id-block".getBytes(StandardCharsets.US_ASCII);

    private final MetadataStore store;
    private final LongSupplier firstIdWhenLost;

    public MetadataProducerStores(MetadataStore store) {
        this(store, () -> 0L);
    }

    /**
     * @param firstIdWhenLost where producer ids start when the store holds no counter: on a new broker
     *                        0, but after the store was lost, above every producer id still in the logs,
     *                        or a new producer would share an id (and its sequence numbers) with an old
     *                        one and see its first batches taken for duplicates
     */
    public MetadataProducerStores(MetadataStore store, LongSupplier firstIdWhenLost) {
        this.store = Objects.requireNonNull(store, "store");
        this.firstIdWhenLost = Objects.requireNonNull(firstIdWhenLost, "firstIdWhenLost");
    }

    private static byte[] snapshotKey(String topic, int partition) {
        return ("snapshot/" + topic + "-" + partition).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ProducerStateSnapshot load(String topic, int partition) {
        byte[] bytes = store.get(Keyspace.PRODUCER_STATE, snapshotKey(topic, partition));
        return bytes == null ? null : ProducerStateSnapshot.decode(bytes, topic + "-" + partition);
    }

    @Override
    public void save(String topic, int partition, ProducerStateSnapshot snapshot) {
        store.put(Keyspace.PRODUCER_STATE, snapshotKey(topic, partition), snapshot.encode(), Durability.BUFFERED);
    }

    @Override
    public void delete(String topic, int partition) {
        store.delete(Keyspace.PRODUCER_STATE, snapshotKey(topic, partition), Durability.BUFFERED);
    }

    @Override
    public long readNextBlockStart() {
        byte[] bytes = store.get(Keyspace.PRODUCER_STATE, NEXT_BLOCK_KEY);
        if (bytes == null) {
            return firstIdWhenLost.getAsLong();
        }
        if (bytes.length != Long.BYTES) {
            throw new IllegalStateException("metadata store " + store.directory() + ": producer id block start has "
                    + bytes.length + " bytes, expected " + Long.BYTES);
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    @Override
    public void writeNextBlockStart(long nextBlockStart) {
        store.put(Keyspace.PRODUCER_STATE, NEXT_BLOCK_KEY, ByteBuffer.allocate(Long.BYTES).putLong(nextBlockStart).array(),
                Durability.SYNC);
    }
}
