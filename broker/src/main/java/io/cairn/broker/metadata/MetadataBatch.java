package io.cairn.broker.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Puts and deletes across keyspaces applied atomically by {@link MetadataStore#write}. Collected on
 * the Java heap, so an abandoned batch holds no native memory. Not thread-safe: build it on one
 * thread.
 */
public final class MetadataBatch {

    record Op(Keyspace keyspace, byte[] key, byte[] value) {
    }

    private final List<Op> ops = new ArrayList<>();

    public MetadataBatch put(Keyspace keyspace, byte[] key, byte[] value) {
        ops.add(new Op(Objects.requireNonNull(keyspace), Objects.requireNonNull(key).clone(), Objects.requireNonNull(value).clone()));
        return this;
    }

    public MetadataBatch delete(Keyspace keyspace, byte[] key) {
        ops.add(new Op(Objects.requireNonNull(keyspace), Objects.requireNonNull(key).clone(), null));
        return this;
    }

    public int size() {
        return ops.size();
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    List<Op> ops() {
        return ops;
    }
}
