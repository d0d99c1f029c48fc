package io.cairn.storage;

import io.cairn.protocol.FileSlice;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds valid v2 batches for tests and reads batches back from slices and files. */
final class TestBatches {
    private final RecordBatchBuilder builder = new RecordBatchBuilder();

    /** A batch of {@code records} records with random values of {@code valueBytes}, timestamps from {@code ts}. */
    ByteBuffer batch(Random random, int records, int valueBytes, long ts) {
        builder.reset();
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[valueBytes];
            random.nextBytes(value);
            builder.append(ts + i, ("k" + random.nextInt(1000)).getBytes(), value);
        }
        return copy(builder.build());
    }

    /** A batch with the given keys/values (null value = tombstone), all at timestamp {@code ts}. */
    ByteBuffer keyed(long ts, byte[][] keys, byte[][] values) {
        builder.reset();
        for (int i = 0; i < keys.length; i++) {
            builder.append(ts, keys[i], values[i]);
        }
        return copy(builder.build());
    }

    static ByteBuffer copy(ByteBuffer src) {
        ByteBuffer b = ByteBuffer.allocate(src.remaining());
        b.put(src.duplicate());
        b.flip();
        return b;
    }

    static ByteBuffer concat(List<ByteBuffer> parts) {
        int size = 0;
        for (ByteBuffer p : parts) {
            size += p.remaining();
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (ByteBuffer p : parts) {
            b.put(p.duplicate());
        }
        b.flip();
        return b;
    }

    /** Bytes of a slice. */
    static ByteBuffer read(FileSlice slice) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(slice.length());
        while (b.hasRemaining()) {
            int n = slice.channel().read(b, slice.position() + b.position());
            if (n < 0) {
                throw new IOException("slice runs past end of file");
            }
        }
        b.flip();
        return b;
    }

    /** A batch header summary. */
    record Batch(long baseOffset, long lastOffset, long maxTimestamp, int size, ByteBuffer bytes) {
    }

    /** Splits {@code buf} into batches, checking each is whole and its CRC valid. */
    static List<Batch> batches(ByteBuffer buf) {
        List<Batch> result = new ArrayList<>();
        RecordBatch batch = new RecordBatch();
        int pos = buf.position();
        while (pos < buf.limit()) {
            batch.wrap(buf, pos);
            int size = batch.sizeInBytes();
            if (pos + size > buf.limit()) {
                throw new AssertionError("batch at " + pos + " of size " + size + " runs past " + buf.limit());
            }
            if (!batch.isCrcValid()) {
                throw new AssertionError("batch at " + pos + " has a bad CRC");
            }
            ByteBuffer bytes = buf.duplicate();
            bytes.position(pos).limit(pos + size);
            result.add(new Batch(batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(), size, bytes.slice()));
            pos += size;
        }
        return result;
    }
}
