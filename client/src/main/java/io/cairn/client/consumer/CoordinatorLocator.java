package io.cairn.client.consumer;

import io.cairn.client.errors.BrokerException;
import io.cairn.client.errors.RetriableException;
import io.cairn.client.internals.Metadata;
import io.cairn.client.network.BrokerAddress;
import io.cairn.client.network.NetworkClient;
import io.cairn.client.network.WireRequest;
import io.cairn.protocol.message.FindCoordinatorRequest;
import io.cairn.protocol.message.FindCoordinatorResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.util.concurrent.CompletableFuture;

/**
 * Finds and remembers the broker coordinating a group (FindCoordinator, asked of any broker).
 * Forgets it when a request to it fails with NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE or a lost
 * connection. Thread-safe: the heartbeat thread and the consumer thread share it.
 */
final class CoordinatorLocator {
    private static final int VERSION = 0;

    private final String groupId;
    private final NetworkClient network;
    private final Metadata metadata;
    private final int requestTimeoutMs;
    private BrokerAddress coordinator;
    private CompletableFuture<BrokerAddress> lookup;

    CoordinatorLocator(String groupId, NetworkClient network, Metadata metadata, int requestTimeoutMs) {
        this.groupId = groupId;
        this.network = network;
        this.metadata = metadata;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** The coordinator, found now if unknown; fails with a {@link RetriableException} when it cannot be. */
    synchronized CompletableFuture<BrokerAddress> coordinator() {
        if (coordinator != null) {
            return CompletableFuture.completedFuture(coordinator);
        }
        if (lookup != null && !lookup.isDone()) {
            return lookup;
        }
        BrokerAddress any = metadata.pickAddress();
        lookup = network.send(any, WireRequest.of(new FindCoordinatorRequest(groupId,
                        FindCoordinatorRequest.KEY_TYPE_GROUP), VERSION, FindCoordinatorResponse.class), requestTimeoutMs)
                .thenApply(r -> {
                    ErrorCode code = ErrorCode.forCode(r.errorCode());
                    if (code != ErrorCode.NONE) {
                        String context = "find coordinator of group " + groupId;
                        if (isCoordinatorError(code) || code.retriable()) {
                            throw new RetriableException(code + ": " + context + ": "
                                    + (r.errorMessage() == null ? code.defaultMessage() : r.errorMessage()));
                        }
                        throw BrokerException.of(code, context, r.errorMessage()); // e.g. a broker without groups
                    }
                    BrokerAddress found = new BrokerAddress(r.host(), r.port());
                    synchronized (this) {
                        coordinator = found;
                    }
                    return found;
                });
        return lookup;
    }

    /** Forgets {@code failed} as the coordinator (if it still is) so the next call looks again. */
    synchronized void markUnknown(BrokerAddress failed) {
        if (failed == null || failed.equals(coordinator)) {
            coordinator = null;
        }
    }

    /** Whether {@code code} means the coordinator moved or is not ready yet. */
    static boolean isCoordinatorError(ErrorCode code) {
        return code == ErrorCode.NOT_COORDINATOR || code == ErrorCode.COORDINATOR_NOT_AVAILABLE
                || code == ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    }
}
