package io.cairn.broker.group;

import io.cairn.protocol.wire.ErrorCode;
import java.util.List;
import java.util.Objects;

/**
 * A ListGroups answer: the groups of every loaded coordinator shard, and
 * COORDINATOR_LOAD_IN_PROGRESS when some shard is still loading (its groups are then missing).
 */
public record ListGroupsResult(ErrorCode error, List<GroupListing> groups) {
    public ListGroupsResult {
        Objects.requireNonNull(error, "error");
        groups = List.copyOf(groups);
    }
}
