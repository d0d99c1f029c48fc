package io.cairn.broker.group.shard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Deadlines by key, each carrying a value: scheduling a key again replaces its deadline, and
 * {@link #expire(long)} removes and returns every entry due at a time. Driven by explicit times so
 * that tests never sleep. Not thread-safe; confined to its shard's thread.
 */
final class DeadlineQueue<K, V> {

    /** An entry whose deadline has passed. */
    record Expired<K, V>(K key, V value, long deadlineMs) {
    }

    private record Entry<K, V>(K key, V value, long deadlineMs, long sequence) {
    }

    private final Map<K, Entry<K, V>> byKey = new HashMap<>();
    private final TreeSet<Entry<K, V>> byDeadline = new TreeSet<>((a, b) -> {
        int byTime = Long.compare(a.deadlineMs, b.deadlineMs);
        return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
    });
    private long nextSequence;

    void schedule(K key, long deadlineMs, V value) {
        cancel(key);
        Entry<K, V> entry = new Entry<>(key, value, deadlineMs, nextSequence++);
        byKey.put(key, entry);
        byDeadline.add(entry);
    }

    void cancel(K key) {
        Entry<K, V> existing = byKey.remove(key);
        if (existing != null) {
            byDeadline.remove(existing);
        }
    }

    boolean contains(K key) {
        return byKey.containsKey(key);
    }

    /** The deadline of {@code key}, or -1 when none is scheduled. */
    long deadlineOf(K key) {
        Entry<K, V> entry = byKey.get(key);
        return entry == null ? -1 : entry.deadlineMs;
    }

    /** Removes and returns the entries with {@code deadlineMs <= nowMs}, earliest first. */
    List<Expired<K, V>> expire(long nowMs) {
        List<Expired<K, V>> out = new ArrayList<>();
        while (!byDeadline.isEmpty() && byDeadline.first().deadlineMs <= nowMs) {
            Entry<K, V> entry = byDeadline.pollFirst();
            byKey.remove(entry.key);
            out.add(new Expired<>(entry.key, entry.value, entry.deadlineMs));
        }
        return out;
    }

    /** The earliest deadline, or Long.MAX_VALUE when nothing is scheduled. */
    long nextDeadlineMs() {
        return byDeadline.isEmpty() ? Long.MAX_VALUE : byDeadline.first().deadlineMs;
    }

    int size() {
        return byKey.size();
    }

    void clear() {
        byKey.clear();
        byDeadline.clear();
    }
}
