package io.cairn.broker.group;

import java.util.List;
import java.util.Objects;

/**
 * An OffsetFetch, decoded.
 *
 * @param groupId     the group
 * @param memberId    when non-empty, the member asking; then its epoch is checked as for a commit
 * @param memberEpoch the member's epoch; ignored when memberId is empty
 * @param partitions  the partitions to read; null reads every committed offset of the group
 */
public record OffsetFetchRequest(String groupId, String memberId, int memberEpoch, List<TopicPartition> partitions) {

    public OffsetFetchRequest {
        Objects.requireNonNull(groupId, "groupId");
        memberId = memberId == null ? "" : memberId;
        partitions = partitions == null ? null : List.copyOf(partitions);
    }

    public static OffsetFetchRequest all(String groupId) {
        return new OffsetFetchRequest(groupId, "", -1, null);
    }

    public static OffsetFetchRequest of(String groupId, List<TopicPartition> partitions) {
        return new OffsetFetchRequest(groupId, "", -1, partitions);
    }
}
