package io.cairn.broker.group.runtime;

import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.shard.GroupCoordinatorShard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link GroupLog} kept in memory: records are "durable" as soon as appended and survive only as
 * long as this object. For tests, and for embedding the coordinator without storage; nothing
 * survives a process restart. Reusing the same instance in a new coordinator simulates a restart.
 * Thread-safe (synchronized), since a reused instance may be touched by two coordinators' threads
 * one after the other.
 */
public final class InMemoryGroupLog implements GroupLog {

    private final List<GroupRecord> records = new ArrayList<>();

    @Override
    public synchronized long load(GroupCoordinatorShard shard) {
        records.forEach(shard::replay);
        return records.size();
    }

    @Override
    public synchronized long append(List<GroupRecord> batch) {
        records.addAll(batch);
        return records.size();
    }

    @Override
    public CompletableFuture<Void> durable(long endOffset) {
        return CompletableFuture.completedFuture(null);
    }

    /** A copy of every record appended so far, in order. */
    public synchronized List<GroupRecord> records() {
        return new ArrayList<>(records);
    }

    @Override
    public void close() {
    }

    /** A factory handing out one in-memory log per partition, the same one on every open. */
    public static final class Factory implements GroupLogFactory {
        private final Map<Integer, InMemoryGroupLog> logs = new HashMap<>();

        @Override
        public synchronized GroupLog open(int partition) {
            return logs.computeIfAbsent(partition, p -> new InMemoryGroupLog());
        }

        public synchronized InMemoryGroupLog log(int partition) {
            return logs.get(partition);
        }
    }
}
