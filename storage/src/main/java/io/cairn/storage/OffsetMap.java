package io.cairn.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The cleaner's map from record key to the newest offset seen for it, in a fixed amount of
 * memory: open addressing over one buffer of 24-byte slots (16-byte MD5 of the key, 8-byte
 * offset), as Kafka's {@code SkimpyOffsetMap}. Keys are never stored, only their hashes: two keys
 * colliding on 128 bits is not a practical concern. An empty slot has offset -1.
 *
 * <pre>
 *   slot: +----------------------------------+------------------+
 *         |  md5(key) (16 bytes)             |  offset (i64)    |
 *         +----------------------------------+------------------+
 * </pre>
 *
 * <p>Owned by one cleaner thread; not thread-safe.
 */
final class OffsetMap {
    static final int HASH_SIZE = 16;
    static final int SLOT_SIZE = HASH_SIZE + 8;
    /** Fill at most this fraction of the slots, so probe sequences stay short. */
    static final double MAX_LOAD = 0.9;

    private final ByteBuffer slots;
    private final int slotCount;
    private final int maxEntries;
    private final MessageDigest md5;
    private final byte[] hash = new byte[HASH_SIZE];
    private int entries;

    OffsetMap(long memoryBytes) {
        long count = Math.max(2, Math.min(Integer.MAX_VALUE / SLOT_SIZE, memoryBytes / SLOT_SIZE));
        this.slotCount = (int) count;
        this.maxEntries = (int) (slotCount * MAX_LOAD);
        this.slots = ByteBuffer.allocate(slotCount * SLOT_SIZE);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
        clear();
    }

    void clear() {
        for (int i = 0; i < slotCount; i++) {
            slots.putLong(i * SLOT_SIZE + HASH_SIZE, -1L);
        }
        entries = 0;
    }

    int size() {
        return entries;
    }

    /** How many more distinct keys fit. */
    int freeEntries() {
        return maxEntries - entries;
    }

    /** Records {@code offset} as the newest for {@code key} (offsets only grow within a pass). */
    void put(ByteBuffer key, long offset) {
        int slot = find(key);
        int at = slot * SLOT_SIZE;
        if (slots.getLong(at + HASH_SIZE) < 0) {
            if (entries >= maxEntries) {
                throw new IllegalStateException("offset map full at " + entries + " entries");
            }
            slots.put(at, hash);
            entries++;
        }
        slots.putLong(at + HASH_SIZE, offset);
    }

    /** The newest offset recorded for {@code key}, or -1. */
    long get(ByteBuffer key) {
        return slots.getLong(find(key) * SLOT_SIZE + HASH_SIZE);
    }

    /** Hashes the key into {@link #hash} and returns its slot, or the empty slot where it would go. */
    private int find(ByteBuffer key) {
        md5.reset();
        md5.update(key.duplicate());
        try {
            md5.digest(hash, 0, HASH_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        int h = ((hash[0] & 0xff) << 24 | (hash[1] & 0xff) << 16 | (hash[2] & 0xff) << 8 | (hash[3] & 0xff)) & 0x7fffffff;
        int slot = h % slotCount;
        while (true) {
            int at = slot * SLOT_SIZE;
            if (slots.getLong(at + HASH_SIZE) < 0 || matches(at)) {
                return slot;
            }
            slot = slot + 1 == slotCount ? 0 : slot + 1;
        }
    }

    private boolean matches(int at) {
        for (int i = 0; i < HASH_SIZE; i++) {
            if (slots.get(at + i) != hash[i]) {
                return false;
            }
        }
        return true;
    }
}
