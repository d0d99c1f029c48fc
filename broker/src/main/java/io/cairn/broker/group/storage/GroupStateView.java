package io.cairn.broker.group.storage;

import io.cairn.broker.metadata.Durability;
import io.cairn.broker.metadata.Keyspace;
import io.cairn.broker.metadata.MetadataBatch;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metadata.MetadataStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The materialized view of one partition of {@code __consumer_offsets} in the broker's metadata
 * store (keyspace {@link Keyspace#GROUP_OFFSETS}): the latest value of every live key, and the
 * log offset the view reflects, so a restart loads the view and replays only the log after it.
 * The topic is the source of truth; the view is rebuilt from it whenever it is missing, from
 * another format version, fails a checksum, or claims an offset the log does not have.
 *
 * <pre>
 * marker  key   = partition:i32 0x00
 *         value = version:i16 appliedOffset:i64 crc32c:u32        (crc over version and offset)
 * entry   key   = partition:i32 0x01 recordKey                    (the record's key bytes)
 *         value = crc32c:u32 recordValue                          (crc over recordKey then recordValue)
 * </pre>
 *
 * Each update writes its entries and the new marker in one atomic batch, without fsync
 * ({@link Durability#BUFFERED}): a lost update leaves an older, consistent view and a longer log
 * tail to replay. After a failed write the view stops being updated for the rest of the run (its
 * marker still names the last consistent offset). A rewrite removes the marker first and writes
 * it last, so an interrupted rewrite leaves no view at all.
 *
 * <p>Confined to the owning shard's thread (or the loader before the shard is handed over).
 */
public final class GroupStateView {

    private static final Logger LOG = LoggerFactory.getLogger(GroupStateView.class);

    /** Version of this layout; a view of another version is rebuilt. */
    static final short FORMAT_VERSION = 1;
    static final byte MARKER_TAG = 0;
    static final byte ENTRY_TAG = 1;
    private static final int MARKER_VALUE_BYTES = 2 + 8 + 4;
    private static final int CRC_BYTES = 4;
    /** Operations per RocksDB batch when rewriting a whole view. */
    private static final int REWRITE_BATCH_OPS = 10_000;

    private final MetadataStore store;
    private final int partition;
    private final byte[] markerKey;
    private final byte[] entryPrefix;
    private boolean broken;

    public GroupStateView(MetadataStore store, int partition) {
        this.store = store;
        this.partition = partition;
        this.markerKey = ByteBuffer.allocate(5).putInt(partition).put(MARKER_TAG).array();
        this.entryPrefix = ByteBuffer.allocate(5).putInt(partition).put(ENTRY_TAG).array();
    }

    /** Receives one entry of the view: a record key and value, as written to the log. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(byte[] recordKey, byte[] recordValue);
    }

    /**
     * The offset the view reflects, if it has a valid marker of this format version; empty when
     * there is no usable view.
     */
    public OptionalLong appliedOffset() {
        byte[] marker = store.get(Keyspace.GROUP_OFFSETS, markerKey);
        if (marker == null) {
            return OptionalLong.empty();
        }
        if (marker.length != MARKER_VALUE_BYTES) {
            LOG.warn("group-offsets view of partition={}: marker of {} bytes, expected {}; rebuilding", partition,
                    marker.length, MARKER_VALUE_BYTES);
            return OptionalLong.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(marker);
        short version = in.getShort();
        long offset = in.getLong();
        int crc = in.getInt();
        if (crc != crc(marker, 0, MARKER_VALUE_BYTES - CRC_BYTES)) {
            LOG.warn("group-offsets view of partition={}: marker checksum mismatch; rebuilding", partition);
            return OptionalLong.empty();
        }
        if (version != FORMAT_VERSION) {
            LOG.info("group-offsets view of partition={} has format version {}, this broker writes {}; rebuilding",
                    partition, version, FORMAT_VERSION);
            return OptionalLong.empty();
        }
        return OptionalLong.of(offset);
    }

    /**
     * Visits every entry in key order.
     *
     * @return false, having visited only part, when an entry is damaged (then the view must be rebuilt)
     */
    public boolean forEachEntry(EntryVisitor visitor) {
        boolean[] intact = {true};
        store.scan(Keyspace.GROUP_OFFSETS, entryPrefix, (key, value) -> {
            if (value.length < CRC_BYTES) {
                LOG.warn("group-offsets view of partition={}: entry of {} bytes; rebuilding", partition, value.length);
                intact[0] = false;
                return false;
            }
            byte[] recordKey = Arrays.copyOfRange(key, entryPrefix.length, key.length);
            byte[] recordValue = Arrays.copyOfRange(value, CRC_BYTES, value.length);
            if (ByteBuffer.wrap(value).getInt() != entryCrc(recordKey, recordValue)) {
                LOG.warn("group-offsets view of partition={}: entry checksum mismatch; rebuilding", partition);
                intact[0] = false;
                return false;
            }
            visitor.visit(recordKey, recordValue);
            return true;
        });
        return intact[0];
    }

    /**
     * Applies records appended to the log (value null = tombstone) and moves the marker to
     * {@code appliedOffset}, atomically. Does nothing once the view is broken.
     */
    public void apply(List<EncodedRecord> records, long appliedOffset) {
        if (broken) {
            return;
        }
        MetadataBatch batch = new MetadataBatch();
        for (EncodedRecord record : records) {
            if (record.value() == null) {
                batch.delete(Keyspace.GROUP_OFFSETS, entryKey(record.key()));
            } else {
                batch.put(Keyspace.GROUP_OFFSETS, entryKey(record.key()), entryValue(record.key(), record.value()));
            }
        }
        batch.put(Keyspace.GROUP_OFFSETS, markerKey, markerValue(appliedOffset));
        try {
            store.write(batch, Durability.BUFFERED);
        } catch (MetadataStoreException e) {
            broken = true;
            LOG.warn("group-offsets view of partition={}: update failed, no longer updated until restart "
                    + "(the next load replays the log from the last consistent offset): {}", partition, e.getMessage());
        }
    }

    /**
     * Replaces the whole view by {@code entries} (record key → value) reflecting {@code appliedOffset}.
     */
    public void rewrite(Map<ByteBuffer, byte[]> entries, long appliedOffset) {
        try {
            store.delete(Keyspace.GROUP_OFFSETS, markerKey, Durability.BUFFERED);
            List<byte[]> stale = new ArrayList<>();
            store.scan(Keyspace.GROUP_OFFSETS, entryPrefix, (key, value) -> stale.add(key));
            MetadataBatch batch = new MetadataBatch();
            for (byte[] key : stale) {
                batch = flushIfFull(batch).delete(Keyspace.GROUP_OFFSETS, key);
            }
            for (Map.Entry<ByteBuffer, byte[]> entry : entries.entrySet()) {
                byte[] recordKey = toArray(entry.getKey());
                batch = flushIfFull(batch).put(Keyspace.GROUP_OFFSETS, entryKey(recordKey),
                        entryValue(recordKey, entry.getValue()));
            }
            batch.put(Keyspace.GROUP_OFFSETS, markerKey, markerValue(appliedOffset));
            store.write(batch, Durability.BUFFERED);
            broken = false;
        } catch (MetadataStoreException e) {
            broken = true;
            LOG.warn("group-offsets view of partition={}: rewrite failed; the next load rebuilds it: {}", partition,
                    e.getMessage());
        }
    }

    /** Whether updates stopped after a failure. */
    public boolean isBroken() {
        return broken;
    }

    private MetadataBatch flushIfFull(MetadataBatch batch) {
        if (batch.size() < REWRITE_BATCH_OPS) {
            return batch;
        }
        store.write(batch, Durability.BUFFERED);
        return new MetadataBatch();
    }

    private byte[] entryKey(byte[] recordKey) {
        byte[] key = Arrays.copyOf(entryPrefix, entryPrefix.length + recordKey.length);
        System.arraycopy(recordKey, 0, key, entryPrefix.length, recordKey.length);
        return key;
    }

    private static byte[] entryValue(byte[] recordKey, byte[] recordValue) {
        return ByteBuffer.allocate(CRC_BYTES + recordValue.length).putInt(entryCrc(recordKey, recordValue))
                .put(recordValue).array();
    }

    private static byte[] markerValue(long appliedOffset) {
        ByteBuffer out = ByteBuffer.allocate(MARKER_VALUE_BYTES).putShort(FORMAT_VERSION).putLong(appliedOffset);
        out.putInt(crc(out.array(), 0, MARKER_VALUE_BYTES - CRC_BYTES));
        return out.array();
    }

    private static int entryCrc(byte[] recordKey, byte[] recordValue) {
        CRC32C crc = new CRC32C();
        crc.update(recordKey);
        crc.update(recordValue);
        return (int) crc.getValue();
    }

    private static int crc(byte[] bytes, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
