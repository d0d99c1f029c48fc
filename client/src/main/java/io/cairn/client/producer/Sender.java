package io.cairn.client.producer;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.BrokerException;
import io.cairn.client.errors.CairnException;
import io.cairn.client.errors.ClientClosedException;
import io.cairn.client.errors.NetworkException;
import io.cairn.client.errors.OutOfOrderSequenceException;
import io.cairn.client.errors.RecordTooLargeException;
import io.cairn.client.errors.RetriableException;
import io.cairn.client.errors.TimeoutException;
import io.cairn.client.internals.Cluster;
import io.cairn.client.internals.Metadata;
import io.cairn.client.network.Backoff;
import io.cairn.client.network.BrokerAddress;
import io.cairn.client.network.NetworkClient;
import io.cairn.client.network.Node;
import io.cairn.client.network.WireRequest;
import io.cairn.protocol.message.InitProducerIdRequest;
import io.cairn.protocol.message.InitProducerIdResponse;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.wire.ErrorCode;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's I/O logic: drains ready batches from the {@link RecordAccumulator} into one produce
 * request per broker (a partition's head batch and the full batches queued behind it, in order),
 * keeps up to {@code max.in.flight.requests.per.connection} of them in flight,
 * retries retriable failures with backoff within {@code delivery.timeout.ms}, and, with idempotence,
 * obtains a producer id and keeps sequence numbers so retries neither duplicate nor reorder.
 *
 * <p>Threading: everything here runs on the {@link NetworkClient}'s network thread (its event loop),
 * where the sockets are read and written; there is no sender thread. A wake-up from an application
 * thread ({@link #onSendable}, {@link #wakeup}) schedules one run on the loop, and a burst of them
 * schedules only one (the {@link #scheduled} flag); a timed wait (linger, retry backoff, the expiry
 * check, a metadata refresh, a connect delay) is one timer on the loop; a produce response is handled
 * on the loop where it arrives. Nothing here blocks: the accumulator's partition locks are held only
 * to move batches, and buffer-memory waits stay on the application threads. Record futures and
 * callbacks complete on the callback executor given (the network thread itself for the producer).
 */
final class Sender {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final int PRODUCE_VERSION = 0;
    private static final int INIT_PRODUCER_ID_VERSION = 0;
    private static final long EXPIRY_CHECK_INTERVAL_MS = 50;
    private static final long CONNECT_POLL_MS = 5;
    /** After an unexpected error in a run, the next run waits this long rather than spin. */
    private static final long ERROR_PAUSE_MS = 1;

    private final ProducerConfig config;
    private final RecordAccumulator accumulator;
    private final Metadata metadata;
    private final NetworkClient network;
    private final ProducerIdempotence idempotence;
    private final Executor callbacks;
    private final ProducerMetrics metrics;
    private final Backoff retryBackoff;
    /** Set while a run is queued on the loop; a wake-up that finds it set queues nothing. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable scheduledRun = this::runScheduled;
    private final Runnable timedRun = this::runTimed;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Map<Integer, Integer> inFlightByNode = new HashMap<>();
    /** Nodes with {@code max.in.flight.requests.per.connection} produce requests outstanding; read by appenders. */
    private final Set<Integer> saturatedNodes = ConcurrentHashMap.newKeySet();
    private final int maxInFlight;
    private final Set<TopicPartition> muted = new HashSet<>();
    private final boolean guaranteeOrder;
    private final AtomicLong scheduledRuns = new AtomicLong();
    private int inFlightRequests;
    private boolean initInFlight;
    private long nextInitAttemptMs;
    private int initFailures;
    private long nextExpiryCheckMs;
    /** The pending timed run and when it fires; network thread only. */
    private ScheduledFuture<?> timer;
    private long timerDeadlineMs = Long.MAX_VALUE;
    private boolean stopped;
    private volatile boolean running = true;
    private volatile boolean forceClose;

    Sender(ProducerConfig config, RecordAccumulator accumulator, Metadata metadata, NetworkClient network,
           Executor callbacks, ProducerMetrics metrics) {
        this.config = config;
        this.accumulator = accumulator;
        this.metadata = metadata;
        this.network = network;
        this.idempotence = config.idempotent() ? new ProducerIdempotence() : null;
        this.callbacks = callbacks;
        this.metrics = metrics;
        this.retryBackoff = new Backoff(config.retryBackoffMs(), config.retryBackoffMaxMs());
        this.maxInFlight = config.maxInFlightRequestsPerConnection();
        this.guaranteeOrder = !config.idempotent() && maxInFlight == 1;
        metadata.addListener(this::wakeup);
    }

    /** Starts the first run (the expiry check and metadata refreshes keep it going). */
    void start() {
        wakeup();
    }

    /**
     * Schedules a run on the network thread unless one is already queued: a burst of wake-ups from
     * any threads costs one task (and at most one wake-up of the network thread). Any thread.
     */
    void wakeup() {
        if (scheduled.get() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        scheduledRuns.incrementAndGet();
        try {
            network.execute(scheduledRun);
        } catch (RejectedExecutionException e) {
            // The network thread stopped: the sender has terminated and wants no more runs.
        }
    }

    /**
     * Wakes the sender for a partition that turned sendable (its first batch began or its head batch
     * filled), unless the partition's leader already has {@code max.in.flight.requests.per.connection}
     * requests outstanding: the sender could not send to it, and the answer to one of those requests
     * makes it look at every partition again. Application threads.
     *
     * <p>No wake-up is lost: the appender queues the batch (under the partition's lock) before it reads
     * {@link #saturatedNodes}; the sender removes a node from that set before it looks at the queues, so
     * an appender that still saw the node saturated queued its batch before the sender's next look.
     */
    void onSendable(TopicPartition tp) {
        if (!saturatedNodes.isEmpty()) {
            Node leader = metadata.cluster().leader(tp);
            if (leader != null && saturatedNodes.contains(leader.id())) {
                return;
            }
        }
        wakeup();
    }

    /** Stops taking new work once everything queued is sent and answered. */
    void initiateClose() {
        running = false;
        wakeup();
    }

    /** Stops at once; what is queued or in flight fails with {@link ClientClosedException}. */
    void forceClose() {
        forceClose = true;
        running = false;
        wakeup();
    }

    /**
     * Waits up to {@code timeoutMs} for the sender to stop after {@link #initiateClose} or
     * {@link #forceClose}: every batch completed or failed, the network client closed. Never on the
     * network thread.
     *
     * @return whether it stopped in time
     */
    boolean awaitTermination(long timeoutMs) throws InterruptedException {
        try {
            terminated.get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("producer sender failed to stop", e.getCause());
        }
    }

    /** Runs queued on the network thread by wake-ups so far (a burst of wake-ups counts once). */
    long scheduledRuns() {
        return scheduledRuns.get();
    }

    private void runScheduled() {
        scheduled.set(false); // a wake-up from here on queues another run, which sees its news
        run();
    }

    private void runTimed() {
        timer = null;
        timerDeadlineMs = Long.MAX_VALUE;
        run();
    }

    /** One look at everything, then the next run is queued or timed. Network thread. */
    private void run() {
        if (stopped) {
            return;
        }
        if (forceClose) {
            stop(); // nothing more is sent; what is queued or in flight fails
            return;
        }
        long now = System.currentTimeMillis();
        long timeoutMs;
        try {
            timeoutMs = runOnce(now);
        } catch (RuntimeException e) {
            log.error("unexpected error in the producer sender; continuing", e);
            timeoutMs = ERROR_PAUSE_MS;
        }
        if (!running && (forceClose || !(accumulator.hasIncomplete() || inFlightRequests > 0))) {
            stop();
        } else if (timeoutMs <= 0) {
            wakeup();
        } else {
            runAfter(now, timeoutMs);
        }
    }

    /** Makes sure a run happens within {@code delayMs}; an earlier timer already pending is kept. */
    private void runAfter(long now, long delayMs) {
        long deadline = now + delayMs;
        if (timer != null) {
            if (timerDeadlineMs <= deadline) {
                return;
            }
            timer.cancel(false);
        }
        timerDeadlineMs = deadline;
        timer = network.schedule(timedRun, delayMs);
    }

    /** Fails what is left, closes the network client and releases close(). Network thread. */
    private void stop() {
        stopped = true;
        scheduled.set(true); // no more runs
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        try {
            network.close(); // fails the requests in flight; their batches fail through onProduceResponse
            ClientClosedException closed = new ClientClosedException(
                    "producer closed before the record was acknowledged");
            for (ProducerBatch b : accumulator.drainAll()) {
                fail(b, closed);
            }
            log.debug("producer sender stopped");
        } finally {
            terminated.complete(null);
        }
    }

    /**
     * One pass: handles the idempotent producer id, expires old batches, sends what is ready.
     *
     * @return milliseconds until the next pass is needed; 0 when one should follow at once
     */
    long runOnce(long now) {
        long timeoutMs = Long.MAX_VALUE;
        if (idempotence != null && idempotence.resetNeeded()) {
            timeoutMs = Math.min(timeoutMs, maybeInitProducerId(now));
        }
        if (now >= nextExpiryCheckMs) {
            expireBatches(now);
            nextExpiryCheckMs = now + EXPIRY_CHECK_INTERVAL_MS;
        }
        timeoutMs = Math.min(timeoutMs, Math.max(1, nextExpiryCheckMs - now));

        Cluster cluster = metadata.cluster();
        RecordAccumulator.ReadyCheck ready = accumulator.ready(cluster, now);
        if (!ready.unknownLeaderTopics().isEmpty()) {
            metadata.addTopics(ready.unknownLeaderTopics());
            metadata.requestUpdate();
        }
        List<Node> sendable = new ArrayList<>();
        for (Node node : ready.readyNodes()) {
            BrokerAddress address = node.address();
            if (!network.isReady(address)) {
                network.connect(address);
                timeoutMs = Math.min(timeoutMs, Math.max(CONNECT_POLL_MS, network.connectionDelayMs(address)));
                continue;
            }
            if (inFlightByNode.getOrDefault(node.id(), 0) >= maxInFlight) {
                continue; // a response will wake us
            }
            sendable.add(node);
        }
        boolean idempotenceBlocked = idempotence != null && !idempotence.hasProducerId();
        if (!sendable.isEmpty() && !idempotenceBlocked) {
            Map<Node, List<ProducerBatch>> drained = accumulator.drain(cluster, sendable, config.maxRequestSize(), now,
                    gate);
            for (Map.Entry<Node, List<ProducerBatch>> e : drained.entrySet()) {
                sendProduce(e.getKey(), e.getValue(), now);
            }
            if (!drained.isEmpty()) {
                timeoutMs = 0; // there may be more to send right away
            }
        }
        timeoutMs = Math.min(timeoutMs, ready.nextCheckDelayMs());
        timeoutMs = Math.min(timeoutMs, metadata.maybeUpdate(now));
        return Math.min(timeoutMs, 1000);
    }

    private final RecordAccumulator.DrainGate gate = new RecordAccumulator.DrainGate() {
        @Override
        public boolean admit(ProducerBatch head) {
            if (guaranteeOrder && muted.contains(head.topicPartition)) {
                return false;
            }
            return idempotence == null || idempotence.admit(head);
        }

        @Override
        public boolean admitNext(ProducerBatch previous, ProducerBatch next) {
            return idempotence == null || idempotence.admitNext(previous, next);
        }
    };

    private void sendProduce(Node node, List<ProducerBatch> batches, long now) {
        Map<String, List<ProduceRequest.PartitionData>> byTopic = new LinkedHashMap<>();
        int bytes = 0;
        int records = 0;
        for (int i = 0; i < batches.size(); ) {
            // A partition's batches are consecutive in the drained list: one records field carries them in order.
            TopicPartition tp = batches.get(i).topicPartition;
            int end = i + 1;
            while (end < batches.size() && batches.get(end).topicPartition.equals(tp)) {
                end++;
            }
            ByteBuffer[] built = new ByteBuffer[end - i];
            for (int j = i; j < end; j++) {
                built[j - i] = batches.get(j).build();
            }
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                    .add(new ProduceRequest.PartitionData(tp.partition(), Unpooled.wrappedBuffer(built)));
            i = end;
        }
        for (ProducerBatch b : batches) {
            bytes += b.sizeInBytes();
            records += b.recordCount();
            b.inFlight = true;
            b.everSent = true;
            if (idempotence != null) {
                idempotence.onSent(b);
            }
            if (guaranteeOrder) {
                muted.add(b.topicPartition);
            }
        }
        List<ProduceRequest.TopicData> topics = new ArrayList<>();
        byTopic.forEach((t, parts) -> topics.add(new ProduceRequest.TopicData(t, parts)));
        short acks = config.acks();
        ProduceRequest request = new ProduceRequest(acks, config.requestTimeoutMs(), topics);
        inFlightRequests++;
        if (inFlightByNode.merge(node.id(), 1, Integer::sum) >= maxInFlight) {
            saturatedNodes.add(node.id());
        }
        metrics.onRequest(batches.size(), records, bytes);
        network.send(node.address(), new WireRequest<>(request, PRODUCE_VERSION, ProduceResponse.class, acks != 0),
                        config.requestTimeoutMs())
                .whenComplete((response, error) -> onProduceResponse(node, batches, response, error));
    }

    /** Network thread, where the response (or the request's failure) arrived. */
    private void onProduceResponse(Node node, List<ProducerBatch> batches, ProduceResponse response, Throwable error) {
        try {
            handleProduceResponse(node, batches, response, error);
        } finally {
            wakeup(); // a slot is free and batches may have been re-queued
        }
    }

    private void handleProduceResponse(Node node, List<ProducerBatch> batches, ProduceResponse response,
                                       Throwable error) {
        inFlightRequests--;
        if (inFlightByNode.merge(node.id(), -1, Integer::sum) < maxInFlight) {
            saturatedNodes.remove(node.id());
        }
        long now = System.currentTimeMillis();
        for (ProducerBatch b : batches) {
            b.inFlight = false;
            if (guaranteeOrder) {
                muted.remove(b.topicPartition);
            }
        }
        if (error != null) {
            CairnException cause = error instanceof CairnException ce ? ce
                    : new NetworkException("produce request to " + node + " failed: " + error, error);
            metadata.requestUpdate();
            for (ProducerBatch b : batches) {
                if (cause instanceof RetriableException) {
                    retryOrFail(b, cause, now);
                } else {
                    failDefinitely(b, cause);
                }
            }
            return;
        }
        if (config.acks() == 0) {
            for (ProducerBatch b : batches) {
                complete(b, -1, -1);
            }
            return;
        }
        Map<TopicPartition, ProduceResponse.PartitionResponse> results = new HashMap<>();
        for (ProduceResponse.TopicResponse t : response.topics()) {
            for (ProduceResponse.PartitionResponse p : t.partitions()) {
                results.put(new TopicPartition(t.name(), p.partitionIndex()), p);
            }
        }
        ErrorCode requestError = ErrorCode.forCode(response.errorCode());
        // Several batches of one partition (in queue order) were appended together: each starts where the one
        // before it ended, from the partition's answered base offset.
        Map<TopicPartition, Long> nextOffsets = batches.size() > results.size() ? new HashMap<>() : null;
        for (ProducerBatch b : batches) {
            ProduceResponse.PartitionResponse p = results.get(b.topicPartition);
            if (requestError != ErrorCode.NONE) {
                onPartitionError(b, requestError, response.errorMessage(), now);
            } else if (p == null) {
                retryOrFail(b, new NetworkException("produce response from " + node + " has no result for "
                        + b.topicPartition), now);
            } else {
                ErrorCode code = ErrorCode.forCode(p.errorCode());
                if (code == ErrorCode.NONE || code == ErrorCode.DUPLICATE_SEQUENCE_NUMBER) {
                    long baseOffset = p.baseOffset();
                    if (nextOffsets != null) {
                        Long next = nextOffsets.get(b.topicPartition);
                        if (next != null) {
                            baseOffset = next;
                        }
                        nextOffsets.put(b.topicPartition, baseOffset < 0 ? -1L : baseOffset + b.recordCount());
                    }
                    complete(b, baseOffset, p.logAppendTimeMs());
                } else {
                    onPartitionError(b, code, p.errorMessage(), now);
                }
            }
        }
    }

    private void onPartitionError(ProducerBatch b, ErrorCode code, String message, long now) {
        String context = "produce " + b.recordCount() + " record(s) to " + b.topicPartition;
        switch (code) {
            case OUT_OF_ORDER_SEQUENCE_NUMBER -> {
                if (idempotence != null && idempotence.outOfOrderIsRetriable(b)) {
                    retryOrFail(b, BrokerException.of(code, context, message), now);
                } else {
                    failDefinitely(b, new OutOfOrderSequenceException(context + " (sequence " + b.baseSequence + ")",
                            message));
                }
            }
            case UNKNOWN_PRODUCER_ID, INVALID_PRODUCER_EPOCH -> {
                if (idempotence != null) {
                    idempotence.requestReset();
                }
                retryOrFail(b, BrokerException.of(code, context, message), now);
            }
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE -> failDefinitely(b, new RecordTooLargeException(code + ": "
                    + context + " in a batch of " + b.sizeInBytes() + " bytes: " + message));
            default -> {
                BrokerException e = BrokerException.of(code, context, message);
                if (code.retriable()) {
                    metadata.onLeaderError(b.topicPartition);
                    retryOrFail(b, e, now);
                } else {
                    failDefinitely(b, e);
                }
            }
        }
    }

    private void retryOrFail(ProducerBatch b, CairnException error, long now) {
        if (idempotence != null) {
            idempotence.onNotAcked(b);
        }
        boolean expired = now - b.createdMs >= config.deliveryTimeoutMs();
        if (b.attempts >= config.retries() || expired || !running && forceClose) {
            CairnException cause = expired ? new TimeoutException("expiring " + b.recordCount() + " record(s) for "
                    + b.topicPartition + ": " + (now - b.createdMs) + " ms passed since the batch was created "
                    + "(delivery.timeout.ms=" + config.deliveryTimeoutMs() + "); last error: " + error.getMessage(), error)
                    : error;
            failDefinitely(b, cause);
            return;
        }
        b.attempts++;
        metrics.onRetry();
        long backoff = retryBackoff.delayMs(b.attempts);
        log.debug("retrying {} in {} ms after: {}", b, backoff, error.getMessage());
        accumulator.reenqueue(b, now + backoff);
    }

    /** Fails a batch for good; with idempotence a sent batch leaves an unknown gap, so the producer id is reset. */
    private void failDefinitely(ProducerBatch b, CairnException error) {
        if (idempotence != null) {
            idempotence.onNotAcked(b);
            if (b.everSent) {
                idempotence.requestReset();
            }
        }
        fail(b, error);
    }

    private void complete(ProducerBatch b, long baseOffset, long logAppendTimeMs) {
        if (idempotence != null) {
            idempotence.onAcked(b);
        }
        metrics.onAcked(b.recordCount());
        accumulator.deallocate(b);
        callbacks.execute(() -> b.complete(baseOffset, logAppendTimeMs));
    }

    private void fail(ProducerBatch b, RuntimeException error) {
        metrics.onFailed(b.recordCount());
        accumulator.deallocate(b);
        log.debug("failing {}: {}", b, error.getMessage());
        callbacks.execute(() -> b.fail(error));
    }

    private void expireBatches(long now) {
        for (ProducerBatch b : accumulator.expire(config.deliveryTimeoutMs(), now)) {
            failDefinitely(b, new TimeoutException("expiring " + b.recordCount() + " record(s) for " + b.topicPartition
                    + ": " + (now - b.createdMs) + " ms passed since the batch was created (delivery.timeout.ms="
                    + config.deliveryTimeoutMs() + ")" + (metadata.cluster().leader(b.topicPartition) == null
                    ? "; the partition has no known leader" : "")));
        }
    }

    /** Obtains a (new) producer id once nothing sent under the old one is in flight. */
    private long maybeInitProducerId(long now) {
        if (initInFlight) {
            return Long.MAX_VALUE;
        }
        if (inFlightRequests > 0) {
            return Long.MAX_VALUE; // their responses wake us
        }
        if (now < nextInitAttemptMs) {
            return nextInitAttemptMs - now;
        }
        BrokerAddress target = metadata.pickAddress();
        initInFlight = true;
        network.send(target, WireRequest.of(new InitProducerIdRequest(null, -1, -1L, (short) -1),
                        INIT_PRODUCER_ID_VERSION, InitProducerIdResponse.class), config.requestTimeoutMs())
                .whenComplete((response, error) -> {
                    onInitProducerId(target, response, error);
                    wakeup();
                });
        return Long.MAX_VALUE;
    }

    private void onInitProducerId(BrokerAddress from, InitProducerIdResponse response, Throwable error) {
        initInFlight = false;
        ErrorCode code = error == null ? ErrorCode.forCode(response.errorCode()) : null;
        if (error != null || code != ErrorCode.NONE) {
            initFailures++;
            long delay = retryBackoff.delayMs(initFailures);
            nextInitAttemptMs = System.currentTimeMillis() + delay;
            log.warn("InitProducerId to {} failed (attempt {}), retrying in {} ms: {}", from, initFailures, delay,
                    error != null ? error.getMessage() : code + ": " + response.errorMessage());
            return;
        }
        initFailures = 0;
        idempotence.setProducerId(response.producerId(), response.producerEpoch());
        log.info("idempotent producer id {} epoch {}", response.producerId(), response.producerEpoch());
        // Batches still queued with sequences of the old id get fresh ones, in their queue order.
        for (List<ProducerBatch> queued : accumulator.sequencedQueued().values()) {
            for (ProducerBatch b : queued) {
                idempotence.restamp(b);
            }
        }
    }

    /** The producer id in use, or -1 (for tests and metrics). */
    long producerId() {
        return idempotence == null ? -1 : idempotence.producerId();
    }
}
