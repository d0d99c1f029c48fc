package io.cairn.storage;

import java.nio.file.Path;

/**
 * Bytes on disk that are not a valid batch where one must be: a bad length, magic or CRC inside
 * data that was already accepted. The message names the partition, file and position; the
 * batch is never served.
 */
public class CorruptLogException extends StorageException {
    private final transient Path file;
    private final long position;

    public CorruptLogException(TopicPartition topicPartition, Path file, long position, String reason) {
        super(topicPartition + ": corrupt batch at position=" + position + " in " + file + ": " + reason);
        this.file = file;
        this.position = position;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte position of the damaged batch in {@link #file()}. */
    public long position() {
        return position;
    }
}
