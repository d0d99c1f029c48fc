package io.cairn.storage;

/**
 * A batch larger than {@code max.message.bytes} (or than {@code segment.bytes}). Nothing of the
 * buffer was appended.
 */
public class RecordBatchTooLargeException extends StorageException {
    public RecordBatchTooLargeException(String message) {
        super(message);
    }
}
