package io.cairn.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordBatchTest {

    /**
     * One record written byte by byte from the v2 spec. The CRC is not computed by Cairn: 0x547961FD
     * is the checksum an independent Kafka client implementation (sarama) publishes for exactly
     * these bytes, so this test anchors the layout, the covered range and the CRC32C polynomial.
     */
    static byte[] handWrittenBatch() {
        return new byte[] {
                0, 0, 0, 0, 0, 0, 0, 0,                    // baseOffset = 0
                0, 0, 0, 70,                               // batchLength = 70 (49 header + 21 records)
                0, 0, 0, 0,                                // partitionLeaderEpoch = 0
                2,                                         // magic = 2
                (byte) 0x54, (byte) 0x79, (byte) 0x61, (byte) 0xFD, // crc
                0, 0,                                      // attributes: none, create time
                0, 0, 0, 0,                                // lastOffsetDelta = 0
                0, 0, 1, 88, (byte) 141, (byte) 205, 89, 56, // baseTimestamp = 1479847795000
                0, 0, 0, 0, 0, 0, 0, 0,                    // maxTimestamp = 0
                0, 0, 0, 0, 0, 0, 0, 0,                    // producerId = 0
                0, 0,                                      // producerEpoch = 0
                0, 0, 0, 0,                                // baseSequence = 0
                0, 0, 0, 1,                                // recordCount = 1
                40,                                        // record length = 20 (zig-zag)
                0,                                         // attributes
                10,                                        // timestampDelta = 5
                0,                                         // offsetDelta = 0
                8, 1, 2, 3, 4,                             // keyLength = 4, key
                6, 5, 6, 7,                                // valueLength = 3, value
                2,                                         // headerCount = 1
                6, 8, 9, 10,                               // header key length = 3, key
                4, 11, 12,                                 // header value length = 2, value
        };
    }

    @Test
    void readsTheHandWrittenBatchAndItsIndependentlyKnownCrc() {
        ByteBuffer buffer = ByteBuffer.wrap(handWrittenBatch());
        RecordBatch batch = new RecordBatch().wrap(buffer, 0);

        assertThat(batch.baseOffset()).isZero();
        assertThat(batch.batchLength()).isEqualTo(70);
        assertThat(batch.sizeInBytes()).isEqualTo(82);
        assertThat(batch.magic()).isEqualTo((byte) 2);
        assertThat(batch.crc()).isEqualTo(0x547961FDL);
        assertThat(batch.computeCrc()).isEqualTo(0x547961FDL);
        assertThat(batch.isCrcValid()).isTrue();
        assertThat(batch.compressionType()).isEqualTo(CompressionType.NONE);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.baseTimestamp()).isEqualTo(1479847795000L);
        assertThat(batch.recordCount()).isEqualTo(1);

        RecordCursor records = batch.records();
        assertThat(records.hasNext()).isTrue();
        Record record = records.next();
        assertThat(record.offset()).isZero();
        assertThat(record.timestamp()).isEqualTo(1479847795005L);
        assertThat(record.copyKey()).containsExactly(1, 2, 3, 4);
        assertThat(record.copyValue()).containsExactly(5, 6, 7);
        HeaderCursor headers = record.headers();
        assertThat(headers.next()).isTrue();
        assertThat(headers.keyLength()).isEqualTo(3);
        assertThat(headers.copyValue()).containsExactly(11, 12);
        assertThat(headers.next()).isFalse();
        assertThat(records.hasNext()).isFalse();
        assertThat(records.remainingBytes()).isZero();
    }

    @Test
    void builderReproducesTheHandWrittenBatchByteForByte() {
        RecordBatchBuilder builder = new RecordBatchBuilder()
                .producer(0, (short) 0, 0)
                .partitionLeaderEpoch(0);
        builder.append(1479847795005L, new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7},
                new Header[] {new Header(new String(new byte[] {8, 9, 10}, StandardCharsets.UTF_8), new byte[] {11, 12})});
        ByteBuffer built = builder.build();

        byte[] expected = handWrittenBatch();
        // The hand-written batch starts its timestamps at the record's second (delta 5) and has
        // maxTimestamp 0; the builder puts the first record's timestamp in baseTimestamp and the
        // largest in maxTimestamp, so patch those fields and the CRC before comparing.
        ByteBuffer patched = ByteBuffer.wrap(expected);
        patched.putLong(RecordBatchDescriptor.BASE_TIMESTAMP_OFFSET, 1479847795005L);
        patched.putLong(RecordBatchDescriptor.MAX_TIMESTAMP_OFFSET, 1479847795005L);
        expected[RecordBatchDescriptor.RECORDS_OFFSET + 2] = 0; // timestampDelta 0
        new RecordBatch(patched, 0).writeCrc();

        byte[] actual = new byte[built.remaining()];
        built.get(actual);
        assertThat(actual).isEqualTo(expected);
    }

    /** A header whose every field holds a distinct value, to prove each getter reads its own bytes. */
    static ByteBuffer distinctHeader(ByteOrder order, boolean direct) {
        int size = RecordBatchDescriptor.HEADER_SIZE;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putLong(0x0102030405060708L);       // baseOffset
        b.putInt(size - 12);                  // batchLength = 49 (no records)
        b.putInt(0x11121314);                 // partitionLeaderEpoch
        b.put((byte) 2);                      // magic
        b.putInt(0);                          // crc, filled below
        b.putShort((short) (4 | 8 | 16 | 32)); // zstd, log-append time, transactional, control
        b.putInt(0x21222324);                 // lastOffsetDelta
        b.putLong(0x3132333435363738L);       // baseTimestamp
        b.putLong(0x4142434445464748L);       // maxTimestamp
        b.putLong(0x5152535455565758L);       // producerId
        b.putShort((short) 0x6162);           // producerEpoch
        b.putInt(0x71727374);                 // baseSequence
        b.putInt(0);                          // recordCount
        CRC32C crc = new CRC32C();
        crc.update(b.array(), RecordBatchDescriptor.ATTRIBUTES_OFFSET, size - RecordBatchDescriptor.ATTRIBUTES_OFFSET);
        b.putInt(RecordBatchDescriptor.CRC_OFFSET, (int) crc.getValue());

        ByteBuffer target = (direct ? ByteBuffer.allocateDirect(size + 7) : ByteBuffer.allocate(size + 7)).order(order);
        target.position(7);
        target.put(b.array());
        target.position(3).limit(size + 7); // position and limit the flyweight must not touch
        return target;
    }

    @Test
    void everyGetterReadsItsOwnFieldInAnyBufferKindAndOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer buffer = distinctHeader(order, direct);
                RecordBatch batch = new RecordBatch().wrap(buffer, 7);

                assertThat(batch.position()).isEqualTo(7);
                assertThat(batch.baseOffset()).isEqualTo(0x0102030405060708L);
                assertThat(batch.batchLength()).isEqualTo(49);
                assertThat(batch.sizeInBytes()).isEqualTo(61);
                assertThat(batch.partitionLeaderEpoch()).isEqualTo(0x11121314);
                assertThat(batch.magic()).isEqualTo((byte) 2);
                assertThat(batch.attributes()).isEqualTo((short) 60);
                assertThat(batch.compressionId()).isEqualTo(4);
                assertThat(batch.compressionType()).isEqualTo(CompressionType.ZSTD);
                assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
                assertThat(batch.isTransactional()).isTrue();
                assertThat(batch.isControl()).isTrue();
                assertThat(batch.lastOffsetDelta()).isEqualTo(0x21222324);
                assertThat(batch.lastOffset()).isEqualTo(0x0102030405060708L + 0x21222324);
                assertThat(batch.nextOffset()).isEqualTo(0x0102030405060708L + 0x21222324 + 1);
                assertThat(batch.baseTimestamp()).isEqualTo(0x3132333435363738L);
                assertThat(batch.maxTimestamp()).isEqualTo(0x4142434445464748L);
                assertThat(batch.producerId()).isEqualTo(0x5152535455565758L);
                assertThat(batch.producerEpoch()).isEqualTo((short) 0x6162);
                assertThat(batch.baseSequence()).isEqualTo(0x71727374);
                assertThat(batch.lastSequence()).isEqualTo(0x71727374 + 0x21222324 - Integer.MAX_VALUE - 1);
                assertThat(batch.recordCount()).isZero();
                assertThat(batch.recordsPosition()).isEqualTo(7 + 61);
                assertThat(batch.recordsSizeInBytes()).isZero();
                assertThat(batch.isCrcValid()).as("crc, order=%s direct=%s", order, direct).isTrue();
                assertThat(RecordBatch.sizeInBytes(buffer, 7)).isEqualTo(61);
                assertThat(buffer.position()).isEqualTo(3);
                assertThat(buffer.limit()).isEqualTo(68);
            }
        }
    }

    @Test
    void crcIsUnsignedAndMatchesTheStoredBytes() {
        ByteBuffer buffer = distinctHeader(ByteOrder.BIG_ENDIAN, false);
        RecordBatch batch = new RecordBatch(buffer, 7);
        long stored = Integer.toUnsignedLong(buffer.getInt(7 + RecordBatchDescriptor.CRC_OFFSET));
        assertThat(batch.crc()).isEqualTo(stored).isNotNegative();
    }

    @Test
    void settingBaseOffsetAndLeaderEpochKeepsTheCrcValid() {
        ByteBuffer buffer = ByteBuffer.wrap(handWrittenBatch());
        RecordBatch batch = new RecordBatch(buffer, 0);
        batch.setBaseOffset(368769L);
        batch.setPartitionLeaderEpoch(7);
        assertThat(batch.baseOffset()).isEqualTo(368769L);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(batch.isCrcValid()).isTrue();
        assertThat(batch.records().next().offset()).isEqualTo(368769L);
    }

    @Test
    void settingMaxTimestampRewritesTheCrc() {
        ByteBuffer buffer = ByteBuffer.wrap(handWrittenBatch());
        RecordBatch batch = new RecordBatch(buffer, 0);
        long before = batch.crc();
        batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, 1_700_000_000_000L);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(batch.crc()).isNotEqualTo(before);
        assertThat(batch.isCrcValid()).isTrue();
    }

    @Test
    void anyFlippedCoveredByteBreaksTheCrc() {
        byte[] bytes = handWrittenBatch();
        for (int i = RecordBatchDescriptor.ATTRIBUTES_OFFSET; i < bytes.length; i++) {
            byte[] copy = bytes.clone();
            copy[i] ^= 0x01;
            assertThat(new RecordBatch(ByteBuffer.wrap(copy), 0).isCrcValid()).as("flipped byte %d", i).isFalse();
        }
    }

    @Test
    void crcOfAnIncompleteBatchIsInvalidNotAnError() {
        byte[] bytes = handWrittenBatch();
        ByteBuffer truncated = ByteBuffer.wrap(bytes, 0, bytes.length - 1);
        RecordBatch batch = new RecordBatch(truncated, 0);
        assertThat(batch.isCrcValid()).isFalse();
        assertThatThrownBy(batch::computeCrc).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("limit");
    }

    @Test
    void sizeAtPositionNeedsTheLengthField() {
        ByteBuffer buffer = ByteBuffer.wrap(handWrittenBatch());
        assertThat(RecordBatch.sizeInBytes(buffer, 0)).isEqualTo(82);
        assertThat(RecordBatch.sizeInBytes(buffer.duplicate().limit(11), 0)).isEqualTo(-1);
        assertThat(RecordBatch.sizeInBytes(buffer.duplicate().limit(12), 0)).isEqualTo(82);
    }

    @Test
    void unknownCompressionIdIsReportedWithItsValue() {
        ByteBuffer buffer = ByteBuffer.wrap(handWrittenBatch());
        buffer.putShort(RecordBatchDescriptor.ATTRIBUTES_OFFSET, (short) 6);
        RecordBatch batch = new RecordBatch(buffer, 0);
        assertThat(batch.compressionId()).isEqualTo(6);
        assertThatThrownBy(batch::compressionType)
                .isInstanceOfSatisfying(InvalidRecordBatchException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidRecordBatchException.Reason.UNKNOWN_COMPRESSION))
                .hasMessageContaining("compression id=6");
    }

    @Test
    void lastSequenceWrapsLikeKafkaAndIsAbsentWithoutASequence() {
        ByteBuffer buffer = ByteBuffer.wrap(handWrittenBatch());
        RecordBatch batch = new RecordBatch(buffer, 0);
        buffer.putInt(RecordBatchDescriptor.BASE_SEQUENCE_OFFSET, Integer.MAX_VALUE);
        buffer.putInt(RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET, 2);
        assertThat(batch.lastSequence()).isEqualTo(1);
        buffer.putInt(RecordBatchDescriptor.BASE_SEQUENCE_OFFSET, -1);
        assertThat(batch.lastSequence()).isEqualTo(-1);
    }
}
