package io.cairn.broker.group;

import java.util.List;
import java.util.Objects;

/**
 * An OffsetCommit, decoded.
 *
 * <p>A group member commits with its member id and current epoch (or its previous epoch, for
 * partitions it still owns). An admin or a consumer outside group management commits with
 * {@code memberEpoch = -1} and an empty member id; that is allowed only while the group has no
 * members (it creates the group when it does not exist). Offset resets are written this way.
 *
 * @param groupId     the group
 * @param memberId    the member id; empty for an admin commit
 * @param memberEpoch the member epoch; -1 for an admin commit
 * @param instanceId  the static member's group.instance.id, checked when present; may be null
 * @param offsets     the offsets to commit
 */
public record OffsetCommitRequest(String groupId, String memberId, int memberEpoch, String instanceId,
                                  List<PartitionOffset> offsets) {

    /** Member epoch of a commit from outside group management (admin tools, offset reset). */
    public static final int ADMIN_EPOCH = -1;

    public OffsetCommitRequest {
        Objects.requireNonNull(groupId, "groupId");
        memberId = memberId == null ? "" : memberId;
        offsets = List.copyOf(offsets);
    }

    public static OffsetCommitRequest admin(String groupId, List<PartitionOffset> offsets) {
        return new OffsetCommitRequest(groupId, "", ADMIN_EPOCH, null, offsets);
    }

    public static OffsetCommitRequest member(String groupId, String memberId, int memberEpoch,
                                             List<PartitionOffset> offsets) {
        return new OffsetCommitRequest(groupId, memberId, memberEpoch, null, offsets);
    }
}
