package io.cairn.storage;

/**
 * The log (or its whole data directory) is offline after an I/O failure such as a failed fsync.
 * No append, flush or cleaning happens on it again until the broker restarts; fsync is never
 * retried, because after a failed fsync the kernel may already have dropped the dirty pages.
 */
public class LogOfflineException extends StorageException {
    public LogOfflineException(String message, Throwable cause) {
        super(message, cause);
    }
}
