package io.cairn.client.consumer;

import io.cairn.client.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The records one {@code poll} returned, grouped by partition, each partition's records in offset
 * order. Iterating visits partition after partition. Immutable.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ConsumerRecords<K, V> implements Iterable<ConsumerRecord<K, V>> {
    private static final ConsumerRecords<?, ?> EMPTY = new ConsumerRecords<>(Map.of());

    private final Map<TopicPartition, List<ConsumerRecord<K, V>>> records;
    private final int count;

    /** Wraps records grouped by partition (the lists are not copied; do not change them afterwards). */
    public ConsumerRecords(Map<TopicPartition, List<ConsumerRecord<K, V>>> records) {
        this(new LinkedHashMap<>(records), count(records));
    }

    private ConsumerRecords(Map<TopicPartition, List<ConsumerRecord<K, V>>> owned, int count) {
        this.records = Collections.unmodifiableMap(owned);
        this.count = count;
    }

    /** Takes over a map nobody else holds, without copying it: the consumer's own poll result. */
    static <K, V> ConsumerRecords<K, V> own(Map<TopicPartition, List<ConsumerRecord<K, V>>> records) {
        return new ConsumerRecords<>(records, count(records));
    }

    private static int count(Map<TopicPartition, ? extends List<?>> records) {
        int n = 0;
        for (List<?> list : records.values()) {
            n += list.size();
        }
        return n;
    }

    /** No records. */
    @SuppressWarnings("unchecked") // the shared empty instance holds no K or V
    public static <K, V> ConsumerRecords<K, V> empty() {
        return (ConsumerRecords<K, V>) EMPTY;
    }

    /** The records of {@code partition}, in offset order (empty if none). */
    public List<ConsumerRecord<K, V>> records(TopicPartition partition) {
        List<ConsumerRecord<K, V>> list = records.get(partition);
        return list == null ? List.of() : Collections.unmodifiableList(list);
    }

    /** The records of every partition of {@code topic}. */
    public List<ConsumerRecord<K, V>> records(String topic) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        records.forEach((tp, list) -> {
            if (tp.topic().equals(topic)) {
                out.addAll(list);
            }
        });
        return out;
    }

    /** The partitions with records in this result. */
    public Set<TopicPartition> partitions() {
        return records.keySet();
    }

    /** The number of records. */
    public int count() {
        return count;
    }

    /** Whether there are no records. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** For each partition, the offset after its last record here: what to commit once processed. */
    public Map<TopicPartition, Long> nextOffsets() {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        records.forEach((tp, list) -> {
            if (!list.isEmpty()) {
                out.put(tp, list.get(list.size() - 1).offset() + 1);
            }
        });
        return out;
    }

    @Override
    public Iterator<ConsumerRecord<K, V>> iterator() {
        return new RecordIterator<>(records.values().iterator());
    }

    /**
     * Walks the partitions' lists one after the other: a plain loop the JIT compiles quickly, where
     * a flat-mapped stream costs a spliterator and a lambda call per record.
     */
    private static final class RecordIterator<K, V> implements Iterator<ConsumerRecord<K, V>> {
        private final Iterator<List<ConsumerRecord<K, V>>> lists;
        private Iterator<ConsumerRecord<K, V>> current = Collections.emptyIterator();

        RecordIterator(Iterator<List<ConsumerRecord<K, V>>> lists) {
            this.lists = lists;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (!lists.hasNext()) {
                    return false;
                }
                current = lists.next().iterator();
            }
            return true;
        }

        @Override
        public ConsumerRecord<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more records");
            }
            return current.next();
        }
    }
}
