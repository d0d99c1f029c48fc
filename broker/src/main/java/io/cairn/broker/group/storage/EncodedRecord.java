package io.cairn.broker.group.storage;

import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.record.GroupRecordCodec;

import java.util.Objects;

/** A record of {@code __consumer_offsets} in its binary form; {@code value} null for a tombstone. */
public record EncodedRecord(byte[] key, byte[] value) {

    public EncodedRecord {
        Objects.requireNonNull(key, "key");
    }

    public static EncodedRecord of(GroupRecord record) {
        return new EncodedRecord(GroupRecordCodec.encodeKey(record.key()), GroupRecordCodec.encodeValue(record.value()));
    }
}
