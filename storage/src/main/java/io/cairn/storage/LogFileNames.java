package io.cairn.storage;

import java.nio.file.Path;

/**
 * Names of the files in a partition directory. A segment is named by its base offset,
 * zero-padded to 19 digits (enough for any non-negative long):
 * {@code 00000000000000368769.log}, {@code .index}, {@code .timeindex}. Suffixes mark files
 * in transit: {@code .cleaned} (cleaner output being written), {@code .swap} (cleaned output
 * committed, replacing the segment of the same base offset), {@code .deleted} (removed from the
 * log, waiting for readers to let go), {@code .tmp} (checkpoint being written).
 */
final class LogFileNames {
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String CLEANED_SUFFIX = ".cleaned";
    static final String SWAP_SUFFIX = ".swap";
    static final String DELETED_SUFFIX = ".deleted";
    static final String TMP_SUFFIX = ".tmp";
    static final int OFFSET_DIGITS = 19;

    private LogFileNames() {
    }

    static String offsetName(long offset) {
        String digits = Long.toString(offset);
        return "0".repeat(OFFSET_DIGITS - digits.length()) + digits;
    }

    static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(offsetName(baseOffset) + LOG_SUFFIX);
    }

    static Path indexFile(Path dir, long baseOffset) {
        return dir.resolve(offsetName(baseOffset) + INDEX_SUFFIX);
    }

    static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(offsetName(baseOffset) + TIME_INDEX_SUFFIX);
    }

    /** The base offset named by {@code fileName} (which must start with 19 digits and a dot), or -1. */
    static long baseOffsetOf(String fileName) {
        if (fileName.length() <= OFFSET_DIGITS || fileName.charAt(OFFSET_DIGITS) != '.') {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < OFFSET_DIGITS; i++) {
            char c = fileName.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** {@code path} with {@code suffix} appended to its file name. */
    static Path withSuffix(Path path, String suffix) {
        return path.resolveSibling(path.getFileName().toString() + suffix);
    }
}
