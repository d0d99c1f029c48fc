package io.cairn.storage;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * A write failed because the disk is full (ENOSPC, or EDQUOT: a quota). Unlike other I/O
 * failures it does not take the log offline: the failed append was cut back to the last whole
 * batch (nothing of it stays in the segment and nothing was acknowledged), reads continue, and
 * appends succeed again once space is freed. A failed {@code fsync} is never treated this way,
 * whatever its cause: after it the kernel may have dropped the dirty pages.
 */
public class StorageFullException extends StorageException {
    public StorageFullException(String message, IOException cause) {
        super(message, cause);
    }

    /** True if {@code e} reports a full disk or an exhausted quota (the JDK only gives the strerror text). */
    static boolean isNoSpace(IOException e) {
        String text = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (text == null) {
            text = e.getMessage();
        }
        return text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"));
    }
}
