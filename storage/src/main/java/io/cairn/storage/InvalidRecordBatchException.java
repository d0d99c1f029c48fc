package io.cairn.storage;

/**
 * A buffer handed to {@link Log#append} that is not a sequence of whole v2 batches (bad length,
 * magic, offset delta) or would overflow the log's offsets. Nothing of the buffer was appended.
 */
public class InvalidRecordBatchException extends StorageException {
    public InvalidRecordBatchException(String message) {
        super(message);
    }
}
