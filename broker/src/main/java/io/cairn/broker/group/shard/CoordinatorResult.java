package io.cairn.broker.group.shard;

import io.cairn.broker.group.record.GroupRecord;

import java.util.List;

/**
 * What a shard operation produced: the records to append to the shard's partition of
 * {@code __consumer_offsets} (already applied to the shard's state) and the answer to give once
 * they are durable.
 */
public record CoordinatorResult<T>(List<GroupRecord> records, T response) {

    public CoordinatorResult {
        records = List.copyOf(records);
    }

    public static <T> CoordinatorResult<T> of(T response) {
        return new CoordinatorResult<>(List.of(), response);
    }
}
