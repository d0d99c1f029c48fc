package io.cairn.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class RecordCursorTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer batchOf(RecordBatchBuilder builder) {
        return builder.build();
    }

    @Test
    void nullKeyAndValueAreDistinctFromEmptyOnes() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.append(1, null, null);
        builder.append(2, new byte[0], new byte[0]);
        builder.append(3, bytes("k"), null);
        RecordCursor records = new RecordBatch(batchOf(builder), 0).records();

        Record r = records.next();
        assertThat(r.hasKey()).isFalse();
        assertThat(r.keyLength()).isEqualTo(-1);
        assertThat(r.key()).isNull();
        assertThat(r.copyKey()).isNull();
        assertThat(r.hasValue()).isFalse();
        assertThat(r.value()).isNull();

        r = records.next();
        assertThat(r.hasKey()).isTrue();
        assertThat(r.keyLength()).isZero();
        assertThat(r.key().remaining()).isZero();
        assertThat(r.hasValue()).isTrue();
        assertThat(r.copyValue()).isEmpty();

        r = records.next();
        assertThat(r.copyKey()).isEqualTo(bytes("k"));
        assertThat(r.hasValue()).as("tombstone").isFalse();
        assertThat(records.hasNext()).isFalse();
    }

    @Test
    void headersComeBackInOrderWithNullAndEmptyValues() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        Header[] headers = {
                new Header("trace-id", bytes("abc")),
                new Header("empty", new byte[0]),
                new Header("absent", null),
                new Header("ünïcödé", bytes("v")),
        };
        builder.append(10, bytes("k"), bytes("v"), headers);
        Record r = new RecordBatch(batchOf(builder), 0).records().next();

        assertThat(r.headerCount()).isEqualTo(4);
        List<Header> read = new ArrayList<>();
        HeaderCursor cursor = r.headers();
        while (cursor.next()) {
            read.add(cursor.toHeader());
        }
        assertThat(read).containsExactly(headers);
        HeaderCursor again = r.headers();
        assertThat(again.next()).isTrue();
        assertThat(again.key()).isEqualTo("trace-id");
        assertThat(again.value()).isEqualTo(ByteBuffer.wrap(bytes("abc")));
    }

    @Test
    void offsetsAndTimestampsAreBasePlusDelta() {
        RecordBatchBuilder builder = new RecordBatchBuilder().baseOffset(100);
        builder.append(5_000, bytes("a"), bytes("1"));
        builder.append(4_000, bytes("b"), bytes("2"));  // earlier timestamp: negative delta
        builder.append(9_000, bytes("c"), bytes("3"));
        RecordBatch batch = new RecordBatch(batchOf(builder), 0);
        assertThat(batch.baseTimestamp()).isEqualTo(5_000);
        assertThat(batch.maxTimestamp()).isEqualTo(9_000);
        batch.setBaseOffset(1_000);

        List<long[]> seen = new ArrayList<>();
        for (Record r : batch.records()) {
            seen.add(new long[] {r.offset(), r.offsetDelta(), r.timestamp(), r.timestampDelta()});
        }
        assertThat(seen).containsExactly(
                new long[] {1_000, 0, 5_000, 0},
                new long[] {1_001, 1, 4_000, -1_000},
                new long[] {1_002, 2, 9_000, 4_000});
    }

    @Test
    void uncompressedIterationHandsOutViewsNotCopies() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.append(1, bytes("key"), bytes("value-1"));
        builder.append(2, bytes("key"), bytes("value-2"));
        ByteBuffer buffer = batchOf(builder);
        RecordBatch batch = new RecordBatch(buffer, 0);
        RecordCursor records = batch.records();

        Record first = records.next();
        assertThat(first.buffer()).isSameAs(buffer);
        ByteBuffer value = first.value();
        assertThat(value.isReadOnly()).isTrue();
        assertThat(StandardCharsets.UTF_8.decode(value.duplicate()).toString()).isEqualTo("value-1");
        // Writing into the batch's buffer shows through the slice: it shares the memory.
        buffer.put(first.valuePosition(), (byte) 'V');
        assertThat(value.get(0)).isEqualTo((byte) 'V');
        assertThat(first.valuePosition()).isBetween(batch.recordsPosition(), batch.position() + batch.sizeInBytes());

        Record second = records.next();
        assertThat(second).as("the view is reused").isSameAs(first);
        assertThat(second.offsetDelta()).isEqualTo(1);
    }

    @Test
    void recordsRestartOnEachCallAndCursorIsReusedAcrossBatches() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.append(1, null, bytes("x"));
        ByteBuffer one = ByteBuffer.allocate(200);
        one.put(builder.build());
        builder.reset();
        builder.append(1, null, bytes("y"));
        builder.append(2, null, bytes("z"));
        ByteBuffer two = builder.build();

        RecordBatch batch = new RecordBatch(one, 0);
        RecordCursor cursor = batch.records();
        cursor.next();
        assertThat((Object) batch.records()).isSameAs(cursor);
        assertThat(cursor.index()).isZero();
        assertThat(cursor.hasNext()).isTrue();

        batch.wrap(two, 0);
        assertThat(batch.records().recordCount()).isEqualTo(2);
    }

    @Test
    void walkingPastTheLastRecordFailsClearly() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.append(1, null, bytes("x"));
        RecordCursor records = new RecordBatch(builder.build(), 0).records();
        records.next();
        assertThatThrownBy(records::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aRecordCountLargerThanTheRecordsIsCorruption() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.append(1, null, bytes("x"));
        ByteBuffer buffer = builder.build();
        buffer.putInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET, 2);
        RecordCursor records = new RecordBatch(buffer, 0).records();
        records.next();
        assertThatThrownBy(records::next)
                .isInstanceOfSatisfying(InvalidRecordBatchException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidRecordBatchException.Reason.RECORD_COUNT_MISMATCH))
                .hasMessageContaining("recordCount=2");
    }

    @Test
    void aBatchRunningPastTheBufferIsNotIterated() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.append(1, null, bytes("x"));
        ByteBuffer buffer = builder.build();
        buffer.limit(buffer.limit() - 1);
        assertThatThrownBy(() -> new RecordBatch(buffer, 0).records())
                .isInstanceOfSatisfying(InvalidRecordBatchException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidRecordBatchException.Reason.TRUNCATED_BATCH));
    }

    /**
     * The same batch at a non-zero position inside a heap array with a non-zero array offset
     * (a slice), inside a read-only heap buffer and inside a direct buffer: every copy holds exactly
     * the record's bytes and is a fresh array.
     */
    @Test
    void copiesAreTheRecordsBytesWhateverBacksTheBuffer() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        byte[] value = new byte[1024];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31 + 7);
        }
        builder.append(1, bytes("key-1"), value);
        builder.append(2, null, bytes("v"));
        ByteBuffer batch = builder.build();
        int size = batch.remaining();

        byte[] backing = new byte[size + 96];
        Arrays.fill(backing, (byte) 0x5A);
        ByteBuffer.wrap(backing, 64, size).slice().put(batch.duplicate());
        ByteBuffer offsetSlice = ByteBuffer.wrap(backing, 32, size + 64).slice(); // arrayOffset 32, batch at 32
        assertThat(offsetSlice.arrayOffset()).isEqualTo(32);
        ByteBuffer direct = ByteBuffer.allocateDirect(size + 16);
        direct.position(16);
        direct.put(batch.duplicate());
        direct.clear();
        ByteBuffer readOnly = offsetSlice.asReadOnlyBuffer();

        for (Object[] c : new Object[][] {{offsetSlice, 32}, {readOnly, 32}, {direct, 16}}) {
            RecordCursor records = new RecordBatch((ByteBuffer) c[0], (Integer) c[1]).records();
            Record first = records.next();
            byte[] copy = first.copyValue();
            assertThat(copy).as("value from %s", c[0]).isEqualTo(value);
            assertThat(first.copyKey()).isEqualTo(bytes("key-1"));
            assertThat(first.copyValue()).isNotSameAs(copy);
            copy[0]++;
            assertThat(first.copyValue()[0]).isEqualTo(value[0]);
            Record second = records.next();
            assertThat(second.copyKey()).isNull();
            assertThat(second.copyValue()).isEqualTo(bytes("v"));
        }
    }
}
