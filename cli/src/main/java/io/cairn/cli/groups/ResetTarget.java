package io.cairn.cli.groups;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * Where {@code cairn groups reset-offsets} moves a group's committed offsets, one of Kafka's
 * {@code kafka-consumer-groups --reset-offsets} scenarios. Immutable.
 */
public sealed interface ResetTarget {

    /** The partition's log start offset. */
    record Earliest() implements ResetTarget {
    }

    /** The partition's log end offset: skip everything there is. */
    record Latest() implements ResetTarget {
    }

    /** A fixed offset, clamped to [earliest, latest]. */
    record ToOffset(long offset) implements ResetTarget {
    }

    /** The first offset whose timestamp is at or after {@code timestampMs}; latest when there is none. */
    record ToDatetime(long timestampMs) implements ResetTarget {
    }

    /** The committed offset moved by {@code delta} (negative to re-read), clamped to [earliest, latest]. */
    record ShiftBy(long delta) implements ResetTarget {
    }

    /**
     * Parses an ISO-8601 date-time as Kafka's tool accepts it: with an offset or zone
     * ({@code 2024-05-01T10:00:00Z}, {@code 2024-05-01T12:00:00.000+02:00}) or without one, read in
     * {@code zone} ({@code 2024-05-01T10:00:00}).
     *
     * @throws IllegalArgumentException naming the text when it is not such a date-time
     */
    static long parseDatetime(String text, ZoneId zone) {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            // no offset: try a local date-time, then an instant with a zone id
        }
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            // fall through
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 date-time such as "
                    + "2024-05-01T10:00:00Z, 2024-05-01T12:00:00+02:00 or 2024-05-01T10:00:00 (local time)");
        }
    }
}
