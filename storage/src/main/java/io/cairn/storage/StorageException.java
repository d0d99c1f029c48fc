package io.cairn.storage;

/**
 * Base of every storage failure. The message names the partition and, where one is involved, the
 * file, position and offset. Expected outcomes (fetch out of range) are results, not exceptions.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
