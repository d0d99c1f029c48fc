package io.cairn.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-data-directory text file mapping partitions to an offset: {@code recovery-point-offset-checkpoint},
 * {@code log-start-offset-checkpoint}, {@code cleaner-offset-checkpoint}.
 *
 * <pre>
 *   1                          format version
 *   3                          number of entries
 *   orders 0 1234              topic, partition, offset (one line per entry, sorted)
 *   orders 1 87
 *   orders.v2-x 0 0
 *   crc32c 5f1b2a3c            CRC32C (hex) of every byte above this line
 * </pre>
 *
 * Written crash-safely (temp file, force, atomic rename, directory force). A file that is missing,
 * of another version, with a wrong count, a bad line or a wrong checksum reads as empty: every
 * partition then falls back to the safe default (full recovery scan; log start = first segment).
 *
 * <p>Thread-safe for distinct files; callers serialize writes of one file.
 */
final class OffsetCheckpointFile {
    static final int VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(OffsetCheckpointFile.class);

    private final Path file;
    private final FileChannelFactory channels;

    OffsetCheckpointFile(Path file, FileChannelFactory channels) {
        this.file = file;
        this.channels = channels;
    }

    Path file() {
        return file;
    }

    void write(Map<TopicPartition, Long> offsets) throws IOException {
        Map<TopicPartition, Long> sorted = new TreeMap<>((a, b) -> {
            int c = a.topic().compareTo(b.topic());
            return c != 0 ? c : Integer.compare(a.partition(), b.partition());
        });
        sorted.putAll(offsets);
        StringBuilder sb = new StringBuilder();
        sb.append(VERSION).append('\n').append(sorted.size()).append('\n');
        for (Map.Entry<TopicPartition, Long> e : sorted.entrySet()) {
            sb.append(e.getKey().topic()).append(' ').append(e.getKey().partition()).append(' ')
                .append(e.getValue()).append('\n');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        String trailer = "crc32c " + Long.toHexString(crc(body, body.length)) + "\n";
        byte[] content = (sb + trailer).getBytes(StandardCharsets.UTF_8);
        FileUtil.writeAtomically(channels, file, content);
    }

    /** The entries, or an empty map if the file is missing or fails any check (logged). */
    Map<TopicPartition, Long> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            LOG.warn("cannot read checkpoint {}: {}; ignoring it", file, e.toString());
            return Map.of();
        }
        try {
            return parse(bytes);
        } catch (RuntimeException e) {
            LOG.warn("ignoring damaged checkpoint {}: {}", file, e.getMessage());
            return Map.of();
        }
    }

    private Map<TopicPartition, Long> parse(byte[] bytes) {
        int trailerStart = bytes.length - 1;
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            throw new IllegalArgumentException("file does not end with a newline (torn write?)");
        }
        while (trailerStart > 0 && bytes[trailerStart - 1] != '\n') {
            trailerStart--;
        }
        String trailer = new String(bytes, trailerStart, bytes.length - 1 - trailerStart, StandardCharsets.UTF_8);
        if (!trailer.startsWith("crc32c ")) {
            throw new IllegalArgumentException("missing checksum line");
        }
        long expected = Long.parseLong(trailer.substring("crc32c ".length()), 16);
        long actual = crc(bytes, trailerStart);
        if (expected != actual) {
            throw new IllegalArgumentException("checksum " + Long.toHexString(actual) + " expected "
                + Long.toHexString(expected));
        }
        String[] lines = new String(bytes, 0, trailerStart, StandardCharsets.UTF_8).split("\n");
        if (lines.length < 2 || Integer.parseInt(lines[0]) != VERSION) {
            throw new IllegalArgumentException("unsupported version line '" + (lines.length > 0 ? lines[0] : "") + "'");
        }
        int count = Integer.parseInt(lines[1]);
        if (count != lines.length - 2) {
            throw new IllegalArgumentException("count " + count + " but " + (lines.length - 2) + " entries");
        }
        Map<TopicPartition, Long> result = new HashMap<>();
        for (int i = 2; i < lines.length; i++) {
            String[] parts = lines[i].split(" ");
            if (parts.length != 3) {
                throw new IllegalArgumentException("malformed line " + (i + 1) + ": '" + lines[i] + "'");
            }
            long offset = Long.parseLong(parts[2]);
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset on line " + (i + 1));
            }
            result.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), offset);
        }
        return result;
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
