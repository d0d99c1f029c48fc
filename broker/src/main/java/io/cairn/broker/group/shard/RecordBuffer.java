package io.cairn.broker.group.shard;

import io.cairn.broker.group.record.GroupRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The records one coordinator operation produces, applied to the shard's state as they are added
 * so that later steps of the same operation see their effect. Confined to the shard's thread;
 * one per operation.
 */
final class RecordBuffer {

    private final RecordApplier applier;
    private final List<GroupRecord> records = new ArrayList<>();

    RecordBuffer(RecordApplier applier) {
        this.applier = applier;
    }

    void append(GroupRecord record) {
        applier.apply(record);
        records.add(record);
    }

    List<GroupRecord> records() {
        return records;
    }
}
