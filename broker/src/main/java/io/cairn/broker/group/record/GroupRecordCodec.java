package io.cairn.broker.group.record;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.MemberState;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary keys and values of {@code __consumer_offsets} records. All integers big-endian;
 * {@code str} is {@code length:u16} then UTF-8 bytes, {@code nstr} the same with length 0xFFFF for
 * null. Equal keys always encode to equal bytes, which log compaction relies on.
 *
 * <pre>
 * key     := type:i16 groupId:str rest
 *   type 1  offset commit          rest = topic:str partition:i32
 *   type 3  group metadata         rest = (nothing)
 *   type 5  member metadata        rest = memberId:str
 *   type 6  target assignment meta rest = (nothing)
 *   type 7  target assignment      rest = memberId:str
 *   type 8  current assignment     rest = memberId:str
 *
 * value   := version:i16 (0) fields         (a tombstone has no value: null)
 *   type 1  offset:i64 leaderEpoch:i32 commitTimestampMs:i64 metadata:str
 *   type 3  epoch:i32 subscriptionMetadataHash:i64
 *   type 5  instanceId:nstr rackId:nstr clientId:str clientHost:str rebalanceTimeoutMs:i32
 *           serverAssignor:nstr subscribedTopicRegex:nstr topicCount:i32 topic:str*
 *   type 6  assignmentEpoch:i32
 *   type 7  partitions:assignment
 *   type 8  memberEpoch:i32 previousMemberEpoch:i32 state:i8 assigned:assignment
 *           pendingRevocation:assignment
 *
 * assignment := topicCount:i32 (topic:str partitionCount:i32 partition:i32*)*
 *               topics in name order, partitions ascending
 * </pre>
 *
 * Decoding checks every length and count against the bytes left before allocating, and rejects
 * unknown value versions and trailing bytes with {@link GroupRecordFormatException}. A key of an
 * unknown type decodes to null so that a loader can skip records written by a newer version.
 * Stateless and thread-safe.
 */
public final class GroupRecordCodec {

    /** The only value version written so far. */
    public static final short VALUE_VERSION = 0;

    private GroupRecordCodec() {
    }

    public static byte[] encodeKey(GroupRecordKey key) {
        RecordWriter out = new RecordWriter().putShort(key.type()).putString(key.groupId());
        if (key instanceof OffsetCommitKey k) {
            out.putString(k.topic()).putInt(k.partition());
        } else if (key instanceof MemberMetadataKey k) {
            out.putString(k.memberId());
        } else if (key instanceof TargetAssignmentMemberKey k) {
            out.putString(k.memberId());
        } else if (key instanceof CurrentAssignmentKey k) {
            out.putString(k.memberId());
        }
        return out.toByteArray();
    }

    /** The encoded value, or null for a tombstone. */
    public static byte[] encodeValue(GroupRecordValue value) {
        if (value == null) {
            return null;
        }
        RecordWriter out = new RecordWriter().putShort(VALUE_VERSION);
        if (value instanceof OffsetCommitValue v) {
            out.putLong(v.offset()).putInt(v.leaderEpoch()).putLong(v.commitTimestampMs()).putString(v.metadata());
        } else if (value instanceof GroupMetadataValue v) {
            out.putInt(v.epoch()).putLong(v.subscriptionMetadataHash());
        } else if (value instanceof MemberMetadataValue v) {
            out.putString(v.instanceId()).putString(v.rackId()).putString(v.clientId()).putString(v.clientHost())
                    .putInt(v.rebalanceTimeoutMs()).putString(v.serverAssignor()).putString(v.subscribedTopicRegex())
                    .putInt(v.subscribedTopicNames().size());
            v.subscribedTopicNames().forEach(out::putString);
        } else if (value instanceof TargetAssignmentMetadataValue v) {
            out.putInt(v.assignmentEpoch());
        } else if (value instanceof TargetAssignmentMemberValue v) {
            putAssignment(out, v.partitions());
        } else if (value instanceof CurrentAssignmentValue v) {
            out.putInt(v.memberEpoch()).putInt(v.previousMemberEpoch()).putByte(v.state().code());
            putAssignment(out, v.assigned());
            putAssignment(out, v.pendingRevocation());
        }
        return out.toByteArray();
    }

    /**
     * Decodes a record read from the log.
     *
     * @param key   the record key (must not be null: every record of the topic has one)
     * @param value the record value, null for a tombstone
     * @return the record, or null when its key type is unknown (written by a newer version)
     */
    public static GroupRecord decode(ByteBuffer key, ByteBuffer value) {
        if (key == null) {
            throw new GroupRecordFormatException("record without a key");
        }
        GroupRecordKey decodedKey = decodeKey(key);
        if (decodedKey == null) {
            return null;
        }
        return new GroupRecord(decodedKey, value == null ? null : decodeValue(decodedKey, value));
    }

    /** The key, or null when its type is unknown. */
    public static GroupRecordKey decodeKey(ByteBuffer bytes) {
        RecordReader in = new RecordReader(bytes, "key");
        short type = in.getShort("type");
        GroupRecordKey key;
        switch (type) {
            case RecordTypes.OFFSET_COMMIT -> key = new OffsetCommitKey(in.getString("groupId"), in.getString("topic"),
                    in.getInt("partition"));
            case RecordTypes.GROUP_METADATA -> key = new GroupMetadataKey(in.getString("groupId"));
            case RecordTypes.MEMBER_METADATA -> key = new MemberMetadataKey(in.getString("groupId"), in.getString("memberId"));
            case RecordTypes.TARGET_ASSIGNMENT_METADATA -> key = new TargetAssignmentMetadataKey(in.getString("groupId"));
            case RecordTypes.TARGET_ASSIGNMENT_MEMBER -> key = new TargetAssignmentMemberKey(in.getString("groupId"),
                    in.getString("memberId"));
            case RecordTypes.CURRENT_ASSIGNMENT -> key = new CurrentAssignmentKey(in.getString("groupId"),
                    in.getString("memberId"));
            default -> {
                return null;
            }
        }
        in.requireFullyRead();
        return key;
    }

    public static GroupRecordValue decodeValue(GroupRecordKey key, ByteBuffer bytes) {
        RecordReader in = new RecordReader(bytes, "value of key type=" + key.type() + " group=" + key.groupId());
        short version = in.getShort("version");
        if (version != VALUE_VERSION) {
            throw in.corrupt("value version " + version + " is not known (this broker reads version " + VALUE_VERSION + ")");
        }
        GroupRecordValue value;
        if (key instanceof OffsetCommitKey) {
            long offset = in.getLong("offset");
            int leaderEpoch = in.getInt("leaderEpoch");
            long commitTimestampMs = in.getLong("commitTimestampMs");
            value = new OffsetCommitValue(offset, leaderEpoch, in.getString("metadata"), commitTimestampMs);
        } else if (key instanceof GroupMetadataKey) {
            value = new GroupMetadataValue(in.getInt("epoch"), in.getLong("subscriptionMetadataHash"));
        } else if (key instanceof MemberMetadataKey) {
            String instanceId = in.getNullableString("instanceId");
            String rackId = in.getNullableString("rackId");
            String clientId = in.getString("clientId");
            String clientHost = in.getString("clientHost");
            int rebalanceTimeoutMs = in.getInt("rebalanceTimeoutMs");
            String serverAssignor = in.getNullableString("serverAssignor");
            String regex = in.getNullableString("subscribedTopicRegex");
            int count = in.getCount("topicCount", 2);
            List<String> topics = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                topics.add(in.getString("topic"));
            }
            value = new MemberMetadataValue(instanceId, rackId, clientId, clientHost, topics, regex,
                    rebalanceTimeoutMs, serverAssignor);
        } else if (key instanceof TargetAssignmentMetadataKey) {
            value = new TargetAssignmentMetadataValue(in.getInt("assignmentEpoch"));
        } else if (key instanceof TargetAssignmentMemberKey) {
            value = new TargetAssignmentMemberValue(getAssignment(in, "partitions"));
        } else {
            int memberEpoch = in.getInt("memberEpoch");
            int previousMemberEpoch = in.getInt("previousMemberEpoch");
            byte stateCode = in.getByte("state");
            MemberState state = MemberState.fromCode(stateCode);
            if (state == null) {
                throw in.corrupt("member state code " + stateCode + " is not known");
            }
            value = new CurrentAssignmentValue(memberEpoch, previousMemberEpoch, state, getAssignment(in, "assigned"),
                    getAssignment(in, "pendingRevocation"));
        }
        in.requireFullyRead();
        return value;
    }

    private static void putAssignment(RecordWriter out, Assignment assignment) {
        out.putInt(assignment.topics().size());
        for (String topic : assignment.topics()) {
            int[] partitions = assignment.partitions(topic);
            out.putString(topic).putInt(partitions.length);
            for (int partition : partitions) {
                out.putInt(partition);
            }
        }
    }

    private static Assignment getAssignment(RecordReader in, String field) {
        int topics = in.getCount(field + " topicCount", 6);
        Assignment.Builder builder = Assignment.builder();
        for (int t = 0; t < topics; t++) {
            String topic = in.getString(field + " topic");
            int partitions = in.getCount(field + " partitionCount of " + topic, 4);
            for (int p = 0; p < partitions; p++) {
                int partition = in.getInt(field + " partition");
                if (partition < 0) {
                    throw in.corrupt(field + ": negative partition " + partition + " of topic " + topic);
                }
                builder.add(topic, partition);
            }
        }
        return builder.build();
    }
}
