package io.cairn.broker.group;

import io.cairn.protocol.wire.ErrorCode;
import java.util.Objects;

/**
 * The answer to a {@link HeartbeatRequest}.
 *
 * @param error               {@link ErrorCode#NONE} or why the heartbeat was refused
 * @param errorMessage        detail for logs and clients; null on success
 * @param memberId            the member's id (assigned by the coordinator on a join without one)
 * @param memberEpoch         the member's epoch after this heartbeat; -1 after a leave, -2 after a
 *                            static member's temporary leave
 * @param heartbeatIntervalMs when to heartbeat next
 * @param assignment          the partitions the member must own from now on; null when unchanged
 *                            since the member last heard it (KIP-848). Always present on a join.
 */
public record HeartbeatResult(ErrorCode error, String errorMessage, String memberId, int memberEpoch,
                              int heartbeatIntervalMs, Assignment assignment) {

    public HeartbeatResult {
        Objects.requireNonNull(error, "error");
    }

    public static HeartbeatResult error(ErrorCode error, String message) {
        return new HeartbeatResult(error, message, null, -1, 0, null);
    }

    public boolean isSuccess() {
        return error == ErrorCode.NONE;
    }
}
