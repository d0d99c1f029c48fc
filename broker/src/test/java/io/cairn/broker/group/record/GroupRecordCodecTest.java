package io.cairn.broker.group.record;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.MemberState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupRecordCodecTest {

    private static GroupRecord roundTrip(GroupRecord record) {
        byte[] key = GroupRecordCodec.encodeKey(record.key());
        byte[] value = GroupRecordCodec.encodeValue(record.value());
        return GroupRecordCodec.decode(ByteBuffer.wrap(key), value == null ? null : ByteBuffer.wrap(value));
    }

    @Property(tries = 500)
    void everyRecordSurvivesARoundTrip(@ForAll("records") GroupRecord record) {
        assertThat(roundTrip(record)).isEqualTo(record);
        assertThat(roundTrip(GroupRecord.tombstone(record.key()))).isEqualTo(GroupRecord.tombstone(record.key()));
        assertThat(GroupRecordCodec.encodeKey(record.key()))
                .as("equal keys, equal bytes (compaction)").isEqualTo(GroupRecordCodec.encodeKey(roundTrip(record).key()));
    }

    @Property(tries = 200)
    void truncatedBytesAreRefusedWithContext(@ForAll("records") GroupRecord record) {
        byte[] key = GroupRecordCodec.encodeKey(record.key());
        byte[] value = GroupRecordCodec.encodeValue(record.value());
        for (int length = 0; length < key.length; length++) {
            ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(key, length));
            assertThatThrownBy(() -> GroupRecordCodec.decodeKey(cut))
                    .isInstanceOf(GroupRecordFormatException.class).hasMessageStartingWith("key at position=");
        }
        for (int length = 0; length < value.length; length++) {
            ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(value, length));
            assertThatThrownBy(() -> GroupRecordCodec.decodeValue(record.key(), cut))
                    .isInstanceOf(GroupRecordFormatException.class).hasMessageContaining("value of key type=");
        }
        byte[] longer = Arrays.copyOf(value, value.length + 1);
        assertThatThrownBy(() -> GroupRecordCodec.decodeValue(record.key(), ByteBuffer.wrap(longer)))
                .isInstanceOf(GroupRecordFormatException.class).hasMessageContaining("trailing");
    }

    @Property(tries = 1000)
    void garbageNeverEscapesAsAnotherException(@ForAll byte[] garbage, @ForAll("records") GroupRecord someKey) {
        try {
            GroupRecordCodec.decodeKey(ByteBuffer.wrap(garbage));
        } catch (GroupRecordFormatException expected) {
            // refused: fine
        }
        try {
            GroupRecordCodec.decodeValue(someKey.key(), ByteBuffer.wrap(garbage));
        } catch (GroupRecordFormatException expected) {
            // refused: fine
        }
    }

    @Test
    void hugeCountsAreRefusedBeforeAllocating() {
        byte[] value = HexFormat.of().parseHex("0000" + "7fffffff");
        assertThatThrownBy(() -> GroupRecordCodec.decodeValue(new TargetAssignmentMemberKey("g", "m"), ByteBuffer.wrap(value)))
                .isInstanceOf(GroupRecordFormatException.class)
                .hasMessageContaining("partitions topicCount=2147483647 with 0 bytes left");
    }

    @Test
    void theLayoutIsPinnedByteForByte() {
        assertThat(HexFormat.of().formatHex(GroupRecordCodec.encodeKey(new OffsetCommitKey("g", "t", 2))))
                .isEqualTo("0001" + "0001" + "67" + "0001" + "74" + "00000002");
        assertThat(HexFormat.of().formatHex(GroupRecordCodec.encodeValue(new OffsetCommitValue(7, 3, "m", 9))))
                .isEqualTo("0000" + "0000000000000007" + "00000003" + "0000000000000009" + "0001" + "6d");
        assertThat(HexFormat.of().formatHex(GroupRecordCodec.encodeKey(new CurrentAssignmentKey("g", "m"))))
                .isEqualTo("0008" + "0001" + "67" + "0001" + "6d");
        assertThat(HexFormat.of().formatHex(GroupRecordCodec.encodeValue(new CurrentAssignmentValue(5, 4,
                MemberState.UNREVOKED_PARTITIONS, Assignment.ofTopic("t", 1), Assignment.EMPTY))))
                .isEqualTo("0000" + "00000005" + "00000004" + "01" + "00000001" + "0001" + "74" + "00000001" + "00000001"
                        + "00000000");
        assertThat(HexFormat.of().formatHex(GroupRecordCodec.encodeValue(new MemberMetadataValue(null, "r", "c", "h",
                List.of("t"), null, 1000, null))))
                .isEqualTo("0000" + "ffff" + "000172" + "000163" + "000168" + "000003e8" + "ffff" + "ffff"
                        + "00000001" + "000174");
    }

    @Test
    void unknownKeyTypesAreSkippedAndUnknownValueVersionsRefused() {
        assertThat(GroupRecordCodec.decode(ByteBuffer.wrap(HexFormat.of().parseHex("00630001" + "67")), null)).isNull();
        byte[] newer = GroupRecordCodec.encodeValue(new GroupMetadataValue(1, 2));
        newer[1] = 1;
        assertThatThrownBy(() -> GroupRecordCodec.decodeValue(new GroupMetadataKey("g"), ByteBuffer.wrap(newer)))
                .isInstanceOf(GroupRecordFormatException.class).hasMessageContaining("value version 1 is not known");
        assertThatThrownBy(() -> GroupRecordCodec.decode(null, null)).isInstanceOf(GroupRecordFormatException.class);
    }

    @Provide
    Arbitrary<GroupRecord> records() {
        Arbitrary<String> ids = Arbitraries.strings().ofMinLength(0).ofMaxLength(12);
        Arbitrary<String> nullableIds = ids.injectNull(0.3);
        Arbitrary<Integer> ints = Arbitraries.integers();
        Arbitrary<Assignment> assignments = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(5),
                Arbitraries.integers().between(0, 5000).list().ofMaxSize(6)).ofMaxSize(4).map(Assignment::of);
        Arbitrary<GroupRecord> offsets = Combinators.combine(ids, ids, Arbitraries.integers().greaterOrEqual(0),
                        Arbitraries.longs(), ints, ids, Arbitraries.longs())
                .as((g, t, p, offset, epoch, metadata, ts) -> new GroupRecord(new OffsetCommitKey(g, t, p),
                        new OffsetCommitValue(offset, epoch, metadata, ts)));
        Arbitrary<GroupRecord> metadata = Combinators.combine(ids, ints, Arbitraries.longs())
                .as((g, epoch, hash) -> new GroupRecord(new GroupMetadataKey(g), new GroupMetadataValue(epoch, hash)));
        Arbitrary<GroupRecord> members = Combinators.combine(ids, ids, nullableIds, nullableIds, ids,
                        ids.list().ofMaxSize(5), nullableIds, ints)
                .as((g, m, instance, rack, client, topics, regex, timeout) -> new GroupRecord(
                        new MemberMetadataKey(g, m),
                        new MemberMetadataValue(instance, rack, client, "/" + client, topics, regex, timeout, regex)));
        Arbitrary<GroupRecord> targetEpochs = Combinators.combine(ids, ints)
                .as((g, epoch) -> new GroupRecord(new TargetAssignmentMetadataKey(g), new TargetAssignmentMetadataValue(epoch)));
        Arbitrary<GroupRecord> targets = Combinators.combine(ids, ids, assignments)
                .as((g, m, a) -> new GroupRecord(new TargetAssignmentMemberKey(g, m), new TargetAssignmentMemberValue(a)));
        Arbitrary<GroupRecord> currents = Combinators.combine(ids, ids, ints, ints, Arbitraries.of(MemberState.class),
                        assignments, assignments)
                .as((g, m, epoch, previous, state, assigned, pending) -> new GroupRecord(new CurrentAssignmentKey(g, m),
                        new CurrentAssignmentValue(epoch, previous, state, assigned, pending)));
        return Arbitraries.oneOf(offsets, metadata, members, targetEpochs, targets, currents);
    }

    @Test
    void typesMatchKafkasNumbering() {
        assertThat(Map.of(RecordTypes.OFFSET_COMMIT, 1, RecordTypes.GROUP_METADATA, 3, RecordTypes.MEMBER_METADATA, 5,
                RecordTypes.TARGET_ASSIGNMENT_METADATA, 6, RecordTypes.TARGET_ASSIGNMENT_MEMBER, 7,
                RecordTypes.CURRENT_ASSIGNMENT, 8)).allSatisfy((type, expected) -> assertThat((int) type).isEqualTo(expected));
    }
}
