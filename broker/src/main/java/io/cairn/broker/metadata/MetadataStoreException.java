package io.cairn.broker.metadata;

/**
 * The metadata store cannot be opened or read or written: locked by another process, corrupt,
 * written by a newer version, or an I/O error. The message names the store directory and, for
 * start-up failures, what the operator can do. Unchecked: callers cannot recover beyond failing
 * the request or the start-up.
 */
public final class MetadataStoreException extends RuntimeException {

    public MetadataStoreException(String message) {
        super(message);
    }

    public MetadataStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
