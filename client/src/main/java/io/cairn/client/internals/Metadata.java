package io.cairn.client.internals;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.InterruptException;
import io.cairn.client.errors.TimeoutException;
import io.cairn.client.network.Backoff;
import io.cairn.client.network.BrokerAddress;
import io.cairn.client.network.ConnectionState;
import io.cairn.client.network.NetworkClient;
import io.cairn.client.network.Node;
import io.cairn.client.network.WireRequest;
import io.cairn.protocol.message.MetadataRequest;
import io.cairn.protocol.message.MetadataResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a client's view of the cluster current: which brokers exist and which one leads each
 * partition of the topics the client uses. Refreshes when asked ({@link #requestUpdate}: a new topic,
 * a NOT_LEADER error, a lost connection), when older than {@code metadata.max.age.ms}, and retries
 * failed refreshes with exponential backoff from {@code retry.backoff.ms}.
 *
 * <p>Thread-safe: the snapshot is a volatile immutable {@link Cluster}; refresh bookkeeping is guarded
 * by this object's monitor, which waiters in {@link #awaitTopic} wait on. Responses are applied on the
 * network thread, then listeners run there (they must only signal).
 */
public final class Metadata {
    private static final Logger log = LoggerFactory.getLogger(Metadata.class);
    private static final int VERSION = 0;

    private final NetworkClient network;
    private final Backoff retryBackoff;
    private final long maxAgeMs;
    private final boolean allowAutoTopicCreation;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Cluster cluster;

    // Guarded by this.
    private final Set<String> topics = new LinkedHashSet<>();
    private boolean allTopics;
    private boolean needUpdate = true;
    private boolean updateInFlight;
    private int failures;
    private long nextAttemptMs;
    private int cursor;
    private long updates;
    private Throwable lastError;

    /**
     * A view starting from {@code bootstrap}.
     *
     * @param allowAutoTopicCreation passed on Metadata requests: let the broker create a missing topic
     *                               if its own settings allow it (producers do, like Kafka's)
     */
    public Metadata(NetworkClient network, List<BrokerAddress> bootstrap, long retryBackoffMs, long retryBackoffMaxMs,
                    long maxAgeMs, boolean allowAutoTopicCreation) {
        this.network = network;
        this.retryBackoff = new Backoff(retryBackoffMs, retryBackoffMaxMs);
        this.maxAgeMs = maxAgeMs;
        this.allowAutoTopicCreation = allowAutoTopicCreation;
        this.cluster = Cluster.bootstrap(bootstrap);
    }

    /** The current snapshot. */
    public Cluster cluster() {
        return cluster;
    }

    /** Runs {@code listener} on the network thread after every successful refresh. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Adds topics to keep metadata for; a topic not yet known triggers a refresh. */
    public synchronized void addTopics(Collection<String> names) {
        for (String t : names) {
            if (topics.add(t) && cluster.topic(t) == null) {
                needUpdate = true;
            }
        }
    }

    /** Replaces the topics to keep metadata for. */
    public synchronized void setTopics(Collection<String> names) {
        if (!topics.equals(new LinkedHashSet<>(names))) {
            topics.clear();
            topics.addAll(names);
            needUpdate = true;
        }
    }

    /** Keeps metadata for every topic of the cluster (pattern subscriptions, admin). */
    public synchronized void setAllTopics(boolean all) {
        if (allTopics != all) {
            allTopics = all;
            needUpdate = true;
        }
    }

    /** Asks for a refresh at the next opportunity (respecting the retry backoff). */
    public synchronized void requestUpdate() {
        needUpdate = true;
    }

    /** Number of successful refreshes so far. */
    public synchronized long updateCount() {
        return updates;
    }

    /**
     * Starts a refresh if one is due and none is in flight.
     *
     * @return milliseconds until this should be called again
     */
    public synchronized long maybeUpdate(long nowMs) {
        if (updateInFlight) {
            return Long.MAX_VALUE;
        }
        long ageMs = nowMs - cluster.updatedAtMs();
        if (!needUpdate && ageMs < maxAgeMs) {
            return maxAgeMs - ageMs;
        }
        if (nowMs < nextAttemptMs) {
            return nextAttemptMs - nowMs;
        }
        startUpdate();
        return Long.MAX_VALUE;
    }

    /**
     * Blocks until metadata describes {@code topic} with at least one partition, refreshing as needed.
     *
     * @throws TimeoutException naming the topic and the last error when {@code timeoutMs} passes
     */
    public Cluster awaitTopic(String topic, long timeoutMs) {
        Cluster c = cluster;
        if (c.partitionCount(topic) > 0) {
            return c;
        }
        addTopics(List.of(topic));
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (this) {
            needUpdate = true;
            while (true) {
                c = cluster;
                if (c.partitionCount(topic) > 0) {
                    return c;
                }
                long now = System.currentTimeMillis();
                long remaining = deadline - now;
                if (remaining <= 0) {
                    Cluster.TopicInfo info = c.topic(topic);
                    String why = info != null ? "broker says " + info.error()
                            : lastError != null ? "last error: " + lastError.getMessage() : "no metadata response";
                    throw new TimeoutException("topic " + topic + " not present in metadata after " + timeoutMs
                            + " ms (" + why + ")");
                }
                long wait = Math.min(remaining, maybeUpdate(now));
                try {
                    wait(Math.max(1, Math.min(wait, 100)));
                } catch (InterruptedException e) {
                    throw new InterruptException("interrupted waiting for metadata of topic " + topic, e);
                }
                if (!updateInFlight && !needUpdate && cluster.partitionCount(topic) <= 0) {
                    // Described as missing or without partitions (yet): ask again after the backoff.
                    needUpdate = true;
                    nextAttemptMs = Math.max(nextAttemptMs, System.currentTimeMillis() + retryBackoff.delayMs(1));
                }
            }
        }
    }

    /** Blocks until a refresh newer than the current one completes, or {@code timeoutMs} passes. */
    public void awaitUpdate(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (this) {
            long target = updates + 1;
            needUpdate = true;
            while (updates < target) {
                long now = System.currentTimeMillis();
                if (now >= deadline) {
                    throw new TimeoutException("metadata not refreshed within " + timeoutMs + " ms"
                            + (lastError == null ? "" : " (last error: " + lastError.getMessage() + ")"));
                }
                long wait = Math.min(deadline - now, maybeUpdate(now));
                try {
                    wait(Math.max(1, Math.min(wait, 100)));
                } catch (InterruptedException e) {
                    throw new InterruptException("interrupted waiting for metadata", e);
                }
            }
        }
    }

    /** Marks the leader of {@code tp} as suspect after an error: refresh soon. */
    public void onLeaderError(TopicPartition tp) {
        requestUpdate();
    }

    private void startUpdate() {
        BrokerAddress target = pickAddress();
        List<String> wanted = allTopics ? null : new ArrayList<>(topics);
        updateInFlight = true;
        needUpdate = false;
        network.send(target, WireRequest.of(new MetadataRequest(wanted, allowAutoTopicCreation), VERSION,
                MetadataResponse.class)).whenComplete((response, error) -> onResponse(target, response, error));
    }

    private void onResponse(BrokerAddress from, MetadataResponse response, Throwable error) {
        synchronized (this) {
            updateInFlight = false;
            if (error == null && response.errorCode() != ErrorCode.NONE.code()) {
                error = new IllegalStateException(ErrorCode.forCode(response.errorCode()) + ": "
                        + response.errorMessage());
            }
            if (error != null) {
                failures++;
                lastError = error;
                needUpdate = true;
                nextAttemptMs = System.currentTimeMillis() + retryBackoff.delayMs(failures);
                cursor++;
                log.debug("metadata request to {} failed (attempt {}): {}", from, failures, error.toString());
                notifyAll();
                return;
            }
            cluster = Cluster.from(response, cluster.bootstrapAddresses(), System.currentTimeMillis());
            failures = 0;
            lastError = null;
            nextAttemptMs = 0;
            updates++;
            for (Cluster.TopicInfo t : cluster.topics()) {
                if (topics.contains(t.name()) && (t.error() == ErrorCode.LEADER_NOT_AVAILABLE
                        || t.partitions().stream().anyMatch(p -> p.leaderId() < 0))) {
                    needUpdate = true; // topic being created: look again after the backoff
                    nextAttemptMs = System.currentTimeMillis() + retryBackoff.delayMs(1);
                }
            }
            notifyAll();
        }
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /** A broker for cluster-wide requests: a connected one if any, else the next candidate not backing off. */
    public synchronized BrokerAddress pickAddress() {
        List<BrokerAddress> candidates = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            candidates.add(n.address());
        }
        for (BrokerAddress a : cluster.bootstrapAddresses()) {
            if (!candidates.contains(a)) {
                candidates.add(a);
            }
        }
        BrokerAddress best = null;
        for (BrokerAddress a : candidates) {
            if (network.state(a) == ConnectionState.READY
                    && (best == null || network.inFlightCount(a) < network.inFlightCount(best))) {
                best = a;
            }
        }
        if (best != null) {
            return best;
        }
        for (int i = 0; i < candidates.size(); i++) {
            BrokerAddress a = candidates.get(Math.floorMod(cursor + i, candidates.size()));
            if (network.connectionDelayMs(a) == 0) {
                return a;
            }
        }
        return candidates.get(Math.floorMod(cursor, candidates.size()));
    }
}
