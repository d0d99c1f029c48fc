package io.cairn.broker.group;

/**
 * A committed offset as read back: {@code offset == -1} means nothing is committed for the
 * partition (and then leaderEpoch is -1, metadata empty, commitTimestampMs -1).
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {

    public static final CommittedOffset NONE = new CommittedOffset(-1L, -1, "", -1L);

    public CommittedOffset {
        metadata = metadata == null ? "" : metadata;
    }

    public boolean isPresent() {
        return offset >= 0;
    }
}
