package io.cairn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition's {@code leader-epoch-checkpoint}: its {@link LeaderEpochs}, in the partition directory.
 *
 * <pre>
 *   1                          format version
 *   2                          number of entries
 *   0 0                        epoch SP startOffset, oldest first
 *   3 15000
 *   crc32c 5f1b2a3c            CRC32C (lower-case hex) of every byte above this line
 * </pre>
 *
 * Kafka's file of the same name without its version 0 and with the checksum line of Cairn's other
 * checkpoints. Written crash-safely (temp file, force, atomic rename, directory force), and before
 * any batch of a new epoch is written, so it never lacks an epoch the log holds. A file that is
 * missing or fails any check (version, count, line, order, checksum) reads as null and is never
 * trusted: the loader rebuilds the epochs from the log.
 *
 * <p>Stateless apart from the path; callers serialize writes (the log's lock, or the loader before
 * the log is shared).
 */
final class LeaderEpochCheckpointFile {
    static final String NAME = "leader-epoch-checkpoint";
    static final int VERSION = 1;
    private static final String CRC_PREFIX = "crc32c ";
    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochCheckpointFile.class);

    private final TopicPartition tp;
    private final Path file;
    private final FileChannelFactory channels;

    LeaderEpochCheckpointFile(TopicPartition tp, Path partitionDir, FileChannelFactory channels) {
        this.tp = tp;
        this.file = partitionDir.resolve(NAME);
        this.channels = channels;
    }

    Path file() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    /**
     * Replaces the file: writes {@code leader-epoch-checkpoint.tmp}, forces it, renames it over the
     * file, forces the directory.
     *
     * @throws StorageFullException the temp file could not be written for lack of space; it was removed
     *                              and the file is unchanged
     * @throws IOException          any other failure, or one after the temp file was written (the file
     *                              may be old or new)
     */
    void write(LeaderEpochs epochs) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(VERSION).append('\n').append(epochs.size()).append('\n');
        for (int i = 0; i < epochs.size(); i++) {
            sb.append(epochs.epoch(i)).append(' ').append(epochs.startOffset(i)).append('\n');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        sb.append(CRC_PREFIX).append(Long.toHexString(crc(body, body.length))).append('\n');
        ByteBuffer content = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        Path tmp = LogFileNames.withSuffix(file, LogFileNames.TMP_SUFFIX);
        try (FileChannel ch = channels.open(tmp, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))) {
            try {
                while (content.hasRemaining()) {
                    ch.write(content);
                }
            } catch (IOException e) {
                throw notWritten(tmp, e);
            }
            ch.force(true);
        }
        channels.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileUtil.syncDir(channels, file.toAbsolutePath().getParent());
    }

    /** A write of the temp file failed: a full disk becomes {@link StorageFullException} (file unchanged). */
    private IOException notWritten(Path tmp, IOException e) {
        if (!StorageFullException.isNoSpace(e)) {
            return e;
        }
        try {
            channels.deleteIfExists(tmp);
        } catch (IOException t) {
            e.addSuppressed(t);
            return e;
        }
        throw new StorageFullException(tp + ": writing " + tmp + " failed: " + e.getMessage() + "; " + file
            + " unchanged", e);
    }

    /** The epochs, or null if the file is missing or damaged (logged). */
    LeaderEpochs read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("{}: cannot read {}: {}; rebuilding the leader epochs from the log", tp, file, e.toString());
            return null;
        }
        try {
            return parse(bytes);
        } catch (RuntimeException e) {
            LOG.warn("{}: ignoring damaged {}: {}; rebuilding the leader epochs from the log", tp, file, e.getMessage());
            return null;
        }
    }

    static LeaderEpochs parse(byte[] bytes) {
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            throw new IllegalArgumentException("file does not end with a newline (torn write?)");
        }
        int trailerStart = bytes.length - 1;
        while (trailerStart > 0 && bytes[trailerStart - 1] != '\n') {
            trailerStart--;
        }
        String trailer = new String(bytes, trailerStart, bytes.length - 1 - trailerStart, StandardCharsets.UTF_8);
        // compared as text: the one spelling write() produces (no upper case, no leading zeros)
        String expected = CRC_PREFIX + Long.toHexString(crc(bytes, trailerStart));
        if (!trailer.equals(expected)) {
            throw new IllegalArgumentException("checksum line '" + trailer + "' expected '" + expected + "'");
        }
        String[] lines = new String(bytes, 0, trailerStart, StandardCharsets.UTF_8).split("\n", -1);
        // the body ends with a newline, so split leaves one empty string after it
        int lineCount = lines.length - 1;
        if (lineCount < 2 || !lines[lineCount].isEmpty() || !lines[0].equals(Integer.toString(VERSION))) {
            throw new IllegalArgumentException("unsupported version line '" + lines[0] + "'");
        }
        int count = Integer.parseInt(lines[1]);
        if (count != lineCount - 2) {
            throw new IllegalArgumentException("count " + count + " but " + (lineCount - 2) + " entries");
        }
        int[] epochs = new int[count];
        long[] starts = new long[count];
        for (int i = 0; i < count; i++) {
            String[] parts = lines[i + 2].split(" ", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("malformed line " + (i + 3) + ": '" + lines[i + 2] + "'");
            }
            epochs[i] = Integer.parseInt(parts[0]);
            starts[i] = Long.parseLong(parts[1]);
        }
        return new LeaderEpochs(epochs, starts);
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
