package io.cairn.broker.group.record;

/**
 * The record types of {@code __consumer_offsets}, written as the first i16 of every key. The
 * numbers follow Kafka's for the same kinds of record; 0, 2 and 4 (Kafka's old offset key, classic
 * group metadata and subscription metadata) are not used by Cairn. Never renumber.
 */
public final class RecordTypes {
    public static final short OFFSET_COMMIT = 1;
    public static final short GROUP_METADATA = 3;
    public static final short MEMBER_METADATA = 5;
    public static final short TARGET_ASSIGNMENT_METADATA = 6;
    public static final short TARGET_ASSIGNMENT_MEMBER = 7;
    public static final short CURRENT_ASSIGNMENT = 8;

    private RecordTypes() {
    }
}
