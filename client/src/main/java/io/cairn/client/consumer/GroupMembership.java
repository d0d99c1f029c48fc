package io.cairn.client.consumer;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.BrokerException;
import io.cairn.client.errors.CairnException;
import io.cairn.client.internals.Signal;
import io.cairn.client.network.Backoff;
import io.cairn.client.network.BrokerAddress;
import io.cairn.client.network.NetworkClient;
import io.cairn.client.network.WireRequest;
import io.cairn.protocol.message.ConsumerGroupHeartbeatRequest;
import io.cairn.protocol.message.ConsumerGroupHeartbeatResponse;
import io.cairn.protocol.message.TopicPartitions;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This consumer's membership in its group under the coordinator-driven protocol (DESIGN.md, the model
 * of Kafka's KIP-848): a background thread heartbeats with the subscription and the partitions the
 * consumer owns; the coordinator answers with the member's epoch and the partitions it should own
 * now. The consumer thread reconciles (revoke, then assign, running the listener) inside {@code poll}
 * and reports what it owns, which the next heartbeat carries, so the coordinator can hand revoked
 * partitions to other members.
 *
 * <p>Fenced (FENCED_MEMBER_EPOCH) or forgotten (UNKNOWN_MEMBER_ID) members lose their partitions
 * ({@code onPartitionsLost}) and rejoin with epoch 0. A consumer that does not poll within
 * {@code max.poll.interval.ms} leaves the group so its partitions move on; its next poll rejoins.
 *
 * <p>Threading: the heartbeat thread owns the network exchange; the consumer thread calls the
 * package-private methods; shared state is guarded by this object's monitor.
 */
final class GroupMembership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupMembership.class);
    private static final int VERSION = 0;
    private static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;

    /** Where the member stands. */
    enum State {
        /** Not subscribed: no heartbeats. */
        UNSUBSCRIBED,
        /** Joining (epoch 0) or rejoining. */
        JOINING,
        /** A member with an epoch. */
        STABLE,
        /** Left after exceeding max.poll.interval.ms; rejoins at the next poll. */
        STALE,
        /** A non-retriable error; raised by the next poll. */
        FATAL
    }

    /** What the consumer thread must apply: partitions lost, and/or a new set to own. */
    record Reconciliation(boolean lost, Set<TopicPartition> target) {
    }

    private final String groupId;
    private final String instanceId;
    private final int rebalanceTimeoutMs;
    private final NetworkClient network;
    private final CoordinatorLocator locator;
    private final int requestTimeoutMs;
    private final Backoff retryBackoff;
    private final Signal consumerSignal;
    private final Signal wake = new Signal();
    private final Thread thread;

    // Guarded by this.
    private State state = State.UNSUBSCRIBED;
    private String memberId = "";
    private int memberEpoch;
    private List<String> topics;
    private String regex;
    private boolean sendSubscription;
    private Set<TopicPartition> owned = Set.of();
    private boolean sendOwned;
    private Set<TopicPartition> target;
    private boolean targetPending;
    private boolean lost;
    private int heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
    private long nextHeartbeatMs;
    private int failures;
    private long lastPollMs = System.currentTimeMillis();
    private CairnException fatal;
    private volatile boolean closed;

    GroupMembership(String groupId, String instanceId, int rebalanceTimeoutMs, NetworkClient network,
                    CoordinatorLocator locator, int requestTimeoutMs, Backoff retryBackoff, Signal consumerSignal,
                    String clientId) {
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.network = network;
        this.locator = locator;
        this.requestTimeoutMs = requestTimeoutMs;
        this.retryBackoff = retryBackoff;
        this.consumerSignal = consumerSignal;
        this.thread = new Thread(this::run, "cairn-consumer-heartbeat-" + clientId);
        thread.setDaemon(true);
        thread.start();
    }

    /** Joins (or changes the subscription of) the group: a topic list, or a regex evaluated by the coordinator. */
    synchronized void subscribe(Collection<String> topicNames, String topicRegex) {
        this.topics = topicNames == null ? null : List.copyOf(topicNames);
        this.regex = topicRegex;
        this.sendSubscription = true;
        if (state == State.UNSUBSCRIBED || state == State.STALE) {
            state = State.JOINING;
            memberEpoch = 0;
        }
        heartbeatNow();
    }

    /** Called at every poll: proves liveness, and rejoins after a max.poll.interval.ms departure. */
    synchronized void onPoll(long nowMs) {
        lastPollMs = nowMs;
        if (state == State.STALE) {
            log.info("group {}: rejoining after leaving for exceeding max.poll.interval.ms", groupId);
            state = State.JOINING;
            memberEpoch = 0;
            memberId = "";
            sendSubscription = true;
            heartbeatNow();
        }
    }

    /** The non-retriable error the coordinator answered, once; null when none. */
    synchronized CairnException takeFatal() {
        CairnException e = fatal;
        fatal = null;
        return e;
    }

    /** What the consumer thread must reconcile now, or null. */
    synchronized Reconciliation takeReconciliation() {
        if (!lost && !targetPending) {
            return null;
        }
        Reconciliation r = new Reconciliation(lost, targetPending ? target : null);
        lost = false;
        targetPending = false;
        return r;
    }

    /** The consumer thread finished reconciling and owns {@code partitions}; reported by the next heartbeat. */
    synchronized void reconciled(Set<TopicPartition> partitions) {
        owned = Set.copyOf(partitions);
        sendOwned = true;
        heartbeatNow();
    }

    synchronized String memberId() {
        return memberId;
    }

    synchronized int memberEpoch() {
        return memberEpoch;
    }

    synchronized State state() {
        return state;
    }

    /**
     * Leaves the group (epoch -1; -2 for a static member, which keeps its partitions reserved for its
     * return), waiting up to {@code timeoutMs} for the answer. Heartbeats stop until the next subscribe.
     */
    void leave(long timeoutMs) {
        String id;
        int epoch;
        synchronized (this) {
            if (state == State.UNSUBSCRIBED || memberId.isEmpty()) {
                state = State.UNSUBSCRIBED;
                return;
            }
            id = memberId;
            epoch = instanceId != null ? ConsumerGroupHeartbeatRequest.LEAVE_STATIC_EPOCH
                    : ConsumerGroupHeartbeatRequest.LEAVE_EPOCH;
            state = State.UNSUBSCRIBED;
            memberEpoch = 0;
            memberId = "";
            owned = Set.of();
            target = null;
            targetPending = false;
        }
        ConsumerGroupHeartbeatRequest request = new ConsumerGroupHeartbeatRequest(groupId, id, epoch, instanceId,
                null, -1, null, null, null, null);
        try {
            BrokerAddress coordinator = locator.coordinator().get(timeoutMs, TimeUnit.MILLISECONDS);
            network.send(coordinator, WireRequest.of(request, VERSION, ConsumerGroupHeartbeatResponse.class),
                    (int) Math.max(1, timeoutMs)).get(timeoutMs, TimeUnit.MILLISECONDS);
            log.info("group {}: member {} left", groupId, id);
        } catch (Exception e) {
            log.info("group {}: leave request of member {} not answered ({}); the coordinator will time it out",
                    groupId, id, e.toString());
        }
    }

    private synchronized void heartbeatNow() {
        nextHeartbeatMs = 0;
        wake.signal();
    }

    private void run() {
        while (!closed) {
            try {
                long waitMs = step();
                if (waitMs > 0) {
                    wake.await(waitMs);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("group {}: unexpected error in the heartbeat thread; continuing", groupId, e);
            }
        }
    }

    /** Sends one heartbeat if one is due; returns how long to wait before looking again. */
    private long step() throws InterruptedException {
        ConsumerGroupHeartbeatRequest request;
        Set<TopicPartition> ownedSent;
        boolean subscriptionSent;
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (state == State.UNSUBSCRIBED || state == State.STALE || state == State.FATAL) {
                return 1000;
            }
            if (state == State.STABLE && now - lastPollMs > rebalanceTimeoutMs) {
                log.warn("group {}: no poll for {} ms (max.poll.interval.ms={}); leaving the group so its partitions"
                        + " move on", groupId, now - lastPollMs, rebalanceTimeoutMs);
                String id = memberId;
                memberId = "";
                memberEpoch = 0;
                state = State.STALE;
                lost = true;
                target = null;
                targetPending = false;
                owned = Set.of();
                consumerSignal.signal();
                sendLeave(id);
                return 1000;
            }
            if (now < nextHeartbeatMs) {
                return nextHeartbeatMs - now;
            }
            boolean joining = state == State.JOINING;
            subscriptionSent = joining || sendSubscription;
            ownedSent = joining ? Set.of() : sendOwned ? owned : null;
            request = new ConsumerGroupHeartbeatRequest(groupId, memberId, joining ? 0 : memberEpoch, instanceId, null,
                    joining ? rebalanceTimeoutMs : -1,
                    subscriptionSent && regex == null ? topics : null,
                    subscriptionSent ? regex : null,
                    null,
                    ownedSent == null ? null : toWire(ownedSent));
            nextHeartbeatMs = now + heartbeatIntervalMs;
        }
        BrokerAddress coordinator = null;
        ConsumerGroupHeartbeatResponse response;
        try {
            coordinator = locator.coordinator().get(requestTimeoutMs, TimeUnit.MILLISECONDS);
            response = network.send(coordinator, WireRequest.of(request, VERSION, ConsumerGroupHeartbeatResponse.class),
                    requestTimeoutMs).get(requestTimeoutMs + 1000L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof BrokerException broker && !broker.isRetriable()) {
                synchronized (this) {
                    state = State.FATAL;
                    fatal = broker;
                    consumerSignal.signal();
                }
                log.error("group {}: {}", groupId, broker.getMessage());
                return 1000;
            }
            locator.markUnknown(coordinator);
            return onRetriableFailure("heartbeat to " + (coordinator == null ? "the coordinator" : coordinator)
                    + " failed: " + cause);
        }
        return onResponse(coordinator, request, response, ownedSent, subscriptionSent);
    }

    private void sendLeave(String id) {
        if (id.isEmpty()) {
            return;
        }
        ConsumerGroupHeartbeatRequest request = new ConsumerGroupHeartbeatRequest(groupId, id,
                ConsumerGroupHeartbeatRequest.LEAVE_EPOCH, instanceId, null, -1, null, null, null, null);
        locator.coordinator().thenAccept(c -> network.send(c, WireRequest.of(request, VERSION,
                ConsumerGroupHeartbeatResponse.class), requestTimeoutMs));
    }

    private synchronized long onRetriableFailure(String why) {
        failures++;
        sendSubscription = true;
        sendOwned = true;
        long delay = retryBackoff.delayMs(failures);
        nextHeartbeatMs = System.currentTimeMillis() + delay;
        log.debug("group {}: {}; retrying in {} ms", groupId, why, delay);
        return delay;
    }

    private long onResponse(BrokerAddress coordinator, ConsumerGroupHeartbeatRequest request,
                            ConsumerGroupHeartbeatResponse response, Set<TopicPartition> ownedSent,
                            boolean subscriptionSent) {
        ErrorCode code = ErrorCode.forCode(response.errorCode());
        log.debug("group {}: heartbeat epoch {} owned {} answered {} epoch {} interval {} ms assignment {}", groupId,
                request.memberEpoch(), request.topicPartitions(), code, response.memberEpoch(),
                response.heartbeatIntervalMs(), response.assignment());
        if (CoordinatorLocator.isCoordinatorError(code)) {
            locator.markUnknown(coordinator);
            return onRetriableFailure(code + " from " + coordinator);
        }
        synchronized (this) {
            if (state == State.UNSUBSCRIBED || closed) {
                return 0; // left meanwhile: the answer no longer matters
            }
            switch (code) {
                case NONE -> {
                    failures = 0;
                    if (response.memberId() != null && !response.memberId().isEmpty()) {
                        memberId = response.memberId();
                    }
                    if (state == State.JOINING) {
                        log.info("group {}: joined as member {} epoch {}", groupId, memberId, response.memberEpoch());
                    }
                    memberEpoch = response.memberEpoch();
                    state = State.STABLE;
                    if (response.heartbeatIntervalMs() > 0) {
                        heartbeatIntervalMs = response.heartbeatIntervalMs();
                        nextHeartbeatMs = Math.min(nextHeartbeatMs, System.currentTimeMillis() + heartbeatIntervalMs);
                    }
                    if (subscriptionSent) {
                        sendSubscription = false;
                    }
                    if (ownedSent != null && ownedSent.equals(owned)) {
                        sendOwned = false;
                    }
                    if (response.assignment() != null) {
                        Set<TopicPartition> assigned = fromWire(response.assignment());
                        if (!assigned.equals(target) || !assigned.equals(owned)) {
                            target = assigned;
                            targetPending = true;
                            consumerSignal.signal();
                        }
                    }
                    return nextHeartbeatMs - System.currentTimeMillis();
                }
                case FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID -> {
                    log.warn("group {}: member {} epoch {} {}: its partitions are lost; rejoining", groupId, memberId,
                            request.memberEpoch(), code);
                    if (code == ErrorCode.UNKNOWN_MEMBER_ID) {
                        memberId = "";
                    }
                    memberEpoch = 0;
                    state = State.JOINING;
                    lost = true;
                    target = null;
                    targetPending = false;
                    sendSubscription = true;
                    consumerSignal.signal();
                    nextHeartbeatMs = 0;
                    return 0;
                }
                default -> {
                    if (code.retriable()) {
                        return onRetriableFailure(code + " from " + coordinator);
                    }
                    state = State.FATAL;
                    fatal = BrokerException.of(code, "heartbeat of group " + groupId, response.errorMessage());
                    log.error("group {}: {}", groupId, fatal.getMessage());
                    consumerSignal.signal();
                    return 1000;
                }
            }
        }
    }

    private static List<TopicPartitions> toWire(Set<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        partitions.stream().sorted().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(tp.partition()));
        List<TopicPartitions> out = new ArrayList<>();
        byTopic.forEach((t, ps) -> out.add(new TopicPartitions(t, ps)));
        return out;
    }

    private static Set<TopicPartition> fromWire(List<TopicPartitions> assignment) {
        Set<TopicPartition> out = new LinkedHashSet<>();
        for (TopicPartitions t : assignment) {
            for (int p : t.partitions()) {
                out.add(new TopicPartition(t.topicName(), p));
            }
        }
        return out;
    }

    /** Stops the heartbeat thread (call {@link #leave} first to leave the group). */
    @Override
    public void close() {
        closed = true;
        wake.signal();
        thread.interrupt(); // it may be waiting for a heartbeat answer that will not come
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
