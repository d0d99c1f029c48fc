package io.cairn.broker.produce;

import io.cairn.protocol.record.InvalidRecordBatchException;
import io.cairn.protocol.record.InvalidRecordBatchException.Reason;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchDescriptor;
import io.cairn.protocol.record.RecordBatches;
import java.nio.ByteBuffer;

/** Structural checks of produced batches: whole batches, magic 2, CRC32C, size limit. */
final class BatchValidation {
    private BatchValidation() {
    }

    static void validate(ByteBuffer records, int maxBatchBytes) {
        RecordBatches walk = new RecordBatches().reset(records, records.position(), records.limit());
        int index = 0;
        while (walk.hasNext()) {
            RecordBatch batch = walk.next();
            String where = "batch " + index + " at position=" + (batch.position() - records.position());
            if (batch.sizeInBytes() > maxBatchBytes) {
                throw new InvalidRecordBatchException(Reason.BATCH_TOO_LARGE, where + ": size=" + batch.sizeInBytes()
                        + " exceeds max.message.bytes=" + maxBatchBytes);
            }
            if (batch.magic() != RecordBatchDescriptor.MAGIC_V2) {
                throw new InvalidRecordBatchException(Reason.INVALID_MAGIC, where + ": magic=" + batch.magic()
                        + " expected=" + RecordBatchDescriptor.MAGIC_V2);
            }
            if (!batch.isCrcValid()) {
                throw new InvalidRecordBatchException(Reason.CRC_MISMATCH, where + ": crc=" + batch.crc()
                        + " computed=" + batch.computeCrc());
            }
            index++;
        }
        if (walk.position() != records.limit()) {
            throw new InvalidRecordBatchException(Reason.TRUNCATED_BATCH, "batch " + index + " at position="
                    + (walk.position() - records.position()) + ": " + (records.limit() - walk.position())
                    + " bytes left do not hold a whole batch");
        }
    }
}
