package io.cairn.broker.group.record;

import java.util.Objects;

/**
 * One record of {@code __consumer_offsets}: a key and its value, or a tombstone (null value) that
 * deletes the key. The value's type must be the one its key's type calls for.
 */
public record GroupRecord(GroupRecordKey key, GroupRecordValue value) {

    public GroupRecord {
        Objects.requireNonNull(key, "key");
        if (value != null && !matches(key, value)) {
            throw new IllegalArgumentException("value " + value.getClass().getSimpleName()
                    + " does not belong to key type=" + key.type() + " " + key);
        }
    }

    private static boolean matches(GroupRecordKey key, GroupRecordValue value) {
        if (key instanceof OffsetCommitKey) {
            return value instanceof OffsetCommitValue;
        } else if (key instanceof GroupMetadataKey) {
            return value instanceof GroupMetadataValue;
        } else if (key instanceof MemberMetadataKey) {
            return value instanceof MemberMetadataValue;
        } else if (key instanceof TargetAssignmentMetadataKey) {
            return value instanceof TargetAssignmentMetadataValue;
        } else if (key instanceof TargetAssignmentMemberKey) {
            return value instanceof TargetAssignmentMemberValue;
        } else {
            return value instanceof CurrentAssignmentValue;
        }
    }

    public static GroupRecord tombstone(GroupRecordKey key) {
        return new GroupRecord(key, null);
    }

    public boolean isTombstone() {
        return value == null;
    }

    public String groupId() {
        return key.groupId();
    }
}
