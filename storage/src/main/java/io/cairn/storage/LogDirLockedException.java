package io.cairn.storage;

/** Another process (or another {@link LogManager} in this one) holds the data directory's lock file. */
public class LogDirLockedException extends StorageException {
    public LogDirLockedException(String message) {
        super(message);
    }
}
