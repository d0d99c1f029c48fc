package io.cairn.broker.metadata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's metadata store under {@code <data.dir>/meta}: a RocksDB database with one column
 * family per {@link Keyspace}, exposed as byte[] keys and values so that no RocksDB type leaks to
 * its users (topic registry, producer-state manager, group coordinator).
 *
 * <p>Thread-safe: any thread may read and write. A read-write lock keeps {@link #close()} from
 * freeing the native database while an operation is running on it (use after close would crash
 * the JVM, not throw); operations after close throw {@link MetadataStoreException}.
 */
public final class MetadataStore implements AutoCloseable {

    /** Layout version of what Cairn keeps in the store; bumped on incompatible changes. */
    public static final int FORMAT_VERSION = 1;

    static final byte[] FORMAT_VERSION_KEY = "format.version".getBytes(StandardCharsets.US_ASCII);

    private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

    static {
        // Extracts and loads the native library once per class loader; later calls are no-ops.
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final boolean createdNew;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> allHandles;
    private final Map<Keyspace, ColumnFamilyHandle> handles;
    private final WriteOptions syncWrite;
    private final WriteOptions bufferedWrite;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private MetadataStore(Path dir, boolean createdNew, RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
                          List<ColumnFamilyHandle> allHandles, Map<Keyspace, ColumnFamilyHandle> handles) {
        this.dir = dir;
        this.createdNew = createdNew;
        this.db = db;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.allHandles = allHandles;
        this.handles = handles;
        this.syncWrite = new WriteOptions().setSync(true);
        this.bufferedWrite = new WriteOptions().setSync(false);
    }

    /**
     * Opens the store in {@code dir}, creating it (and missing keyspaces) if needed.
     *
     * @throws MetadataStoreException when the store is locked by another process, corrupt,
     *     written by a newer Cairn, or cannot be created; the message says what to do
     */
    public static MetadataStore open(Path dir) {
        Path absolute = dir.toAbsolutePath();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new MetadataStoreException("cannot create metadata store directory " + absolute + ": " + e, e);
        }
        boolean createdNew = !Files.exists(absolute.resolve("CURRENT"));
        String path = absolute.toString();

        List<byte[]> existing;
        try (Options listOptions = new Options()) {
            existing = createdNew ? List.of() : RocksDB.listColumnFamilies(listOptions, path);
        } catch (RocksDBException e) {
            throw openFailure(absolute, e);
        }

        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(3)
                .setMaxBackgroundJobs(2)
                .setMaxTotalWalSize(64L << 20);
        // Metadata is small; keep memtables small so several stores (tests) stay light.
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(4L << 20)
                .setMaxWriteBufferNumber(2);

        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Keyspace ks : Keyspace.values()) {
            descriptors.add(new ColumnFamilyDescriptor(ks.columnFamily().getBytes(StandardCharsets.UTF_8), cfOptions));
        }
        // RocksDB refuses to open without every existing column family; keep unknown ones (from a
        // newer Cairn) open but unused rather than failing here; the format version decides.
        for (byte[] name : existing) {
            boolean known = descriptors.stream().anyMatch(d -> Arrays.equals(d.getName(), name));
            if (!known) {
                descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
            }
        }
        List<ColumnFamilyHandle> allHandles = new ArrayList<>();
        RocksDB db;
        try {
            db = RocksDB.open(dbOptions, path, descriptors, allHandles);
        } catch (RocksDBException e) {
            cfOptions.close();
            dbOptions.close();
            throw openFailure(absolute, e);
        }
        Map<Keyspace, ColumnFamilyHandle> handles = new EnumMap<>(Keyspace.class);
        for (Keyspace ks : Keyspace.values()) {
            handles.put(ks, allHandles.get(ks.ordinal() + 1));
        }
        MetadataStore store = new MetadataStore(absolute, createdNew, db, dbOptions, cfOptions, allHandles, handles);
        try {
            store.checkFormatVersion();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("metadata store opened dir={} new={}", absolute, createdNew);
        return store;
    }

    private static MetadataStoreException openFailure(Path dir, RocksDBException e) {
        Status status = e.getStatus();
        String detail = e.getMessage();
        if (detail != null && detail.toLowerCase(java.util.Locale.ROOT).contains("lock")) {
            return new MetadataStoreException("metadata store " + dir + " is locked: another Cairn broker (or another "
                    + "store in this process) is using it. Stop the other broker or give this one another data.dir. ("
                    + detail + ")", e);
        }
        if (status != null && status.getCode() == Status.Code.Corruption) {
            return new MetadataStoreException("metadata store " + dir + " is corrupt (" + detail + "). The topic registry "
                    + "can be rebuilt from the partition directories: stop the broker, move " + dir + " aside and start "
                    + "again; topic config overrides are then lost (see docs/metadata.md).", e);
        }
        return new MetadataStoreException("cannot open metadata store " + dir + ": " + detail, e);
    }

    private void checkFormatVersion() {
        byte[] stored = get(Keyspace.META, FORMAT_VERSION_KEY);
        if (stored == null) {
            put(Keyspace.META, FORMAT_VERSION_KEY, ByteBuffer.allocate(4).putInt(FORMAT_VERSION).array(), Durability.SYNC);
            return;
        }
        if (stored.length != 4) {
            throw new MetadataStoreException("metadata store " + dir + ": format.version has " + stored.length
                    + " bytes, expected 4; the store is not Cairn's or is damaged");
        }
        int version = ByteBuffer.wrap(stored).getInt();
        if (version > FORMAT_VERSION) {
            throw new MetadataStoreException("metadata store " + dir + " has format version " + version
                    + ", written by a newer Cairn; this broker reads up to version " + FORMAT_VERSION);
        }
    }

    /** The store's directory (absolute). */
    public Path directory() {
        return dir;
    }

    /** Whether {@link #open} created the store rather than finding one: a lost {@code meta/} shows here. */
    public boolean createdNew() {
        return createdNew;
    }

    /** The value of a key, or {@code null}. */
    public byte[] get(Keyspace keyspace, byte[] key) {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            return db.get(handles.get(keyspace), key);
        } catch (RocksDBException e) {
            throw failure("read", keyspace, key, e);
        } finally {
            lock.unlock();
        }
    }

    public void put(Keyspace keyspace, byte[] key, byte[] value, Durability durability) {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            db.put(handles.get(keyspace), options(durability), key, value);
        } catch (RocksDBException e) {
            throw failure("write", keyspace, key, e);
        } finally {
            lock.unlock();
        }
    }

    public void delete(Keyspace keyspace, byte[] key, Durability durability) {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            db.delete(handles.get(keyspace), options(durability), key);
        } catch (RocksDBException e) {
            throw failure("delete", keyspace, key, e);
        } finally {
            lock.unlock();
        }
    }

    /** Applies every operation of the batch, or none. */
    public void write(MetadataBatch batch, Durability durability) {
        if (batch.isEmpty()) {
            return;
        }
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try (WriteBatch wb = new WriteBatch()) {
            ensureOpen();
            for (MetadataBatch.Op op : batch.ops()) {
                if (op.value() == null) {
                    wb.delete(handles.get(op.keyspace()), op.key());
                } else {
                    wb.put(handles.get(op.keyspace()), op.key(), op.value());
                }
            }
            db.write(options(durability), wb);
        } catch (RocksDBException e) {
            throw new MetadataStoreException("metadata store " + dir + ": batch of " + batch.size()
                    + " operations failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Receives entries from {@link #scan}. */
    @FunctionalInterface
    public interface EntryVisitor {
        /**
         * @return {@code true} to continue with the next entry, {@code false} to stop
         */
        boolean visit(byte[] key, byte[] value);
    }

    /**
     * Visits, in key order, every entry whose key starts with {@code prefix} (all entries for an
     * empty prefix). The visitor runs on the calling thread and must not close the store.
     */
    public void scan(Keyspace keyspace, byte[] prefix, EntryVisitor visitor) {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = openIterator(keyspace, ro)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!startsWith(key, prefix)) {
                    break;
                }
                if (!visitor.visit(key, it.value())) {
                    break;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw failure("scan", keyspace, prefix, e);
        } finally {
            lock.unlock();
        }
    }

    private RocksIterator openIterator(Keyspace keyspace, ReadOptions ro) {
        ensureOpen();
        return db.newIterator(handles.get(keyspace), ro);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private WriteOptions options(Durability durability) {
        return durability == Durability.SYNC ? syncWrite : bufferedWrite;
    }

    private void ensureOpen() {
        if (closed) {
            throw new MetadataStoreException("metadata store " + dir + " is closed");
        }
    }

    private MetadataStoreException failure(String what, Keyspace keyspace, byte[] key, RocksDBException e) {
        return new MetadataStoreException("metadata store " + dir + ": " + what + " in keyspace " + keyspace.columnFamily()
                + " key=" + printable(key) + " failed: " + e.getMessage(), e);
    }

    /** Keys are mostly text; show them as such where they are, hex otherwise. */
    static String printable(byte[] key) {
        StringBuilder sb = new StringBuilder(key.length);
        for (byte b : key) {
            if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return sb.toString();
    }

    /** Flushes memtables and closes the database; idempotent. Waits for running operations. */
    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                LOG.warn("metadata store dir={} WAL sync at close failed: {}", dir, e.getMessage());
            }
            for (ColumnFamilyHandle h : allHandles) {
                h.close();
            }
            try {
                db.closeE();
            } catch (RocksDBException e) {
                LOG.warn("metadata store dir={} close failed: {}", dir, e.getMessage());
            }
            syncWrite.close();
            bufferedWrite.close();
            cfOptions.close();
            dbOptions.close();
            LOG.info("metadata store closed dir={}", dir);
        } finally {
            lock.unlock();
        }
    }
}
