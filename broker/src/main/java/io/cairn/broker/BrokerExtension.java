package io.cairn.broker;

/**
 * A part of the broker that builds services on top of storage and the topic registry and serves
 * APIs through handlers (the produce/fetch data path, the group coordinator, ...). The
 * {@link Broker} drives every extension through the same lifecycle:
 *
 * <pre>
 * start-up (in list order, before the broker listens):  start(context)   build services, register handlers
 * clean stop (reverse order):                           beginShutdown()  the broker stopped reading requests;
 *                                                                        answer parked requests (long-polls) now
 *                                                       ... in-flight responses are written, connections closed ...
 *                                                       close()          stop threads, persist state; storage
 *                                                                        is still open and closes afterwards
 * crash (tests, reverse order):                         halt()           stop threads, persist nothing
 * </pre>
 *
 * <p>If a later extension's {@code start} fails, the ones already started are closed in reverse
 * order. The lifecycle methods are called from the broker's controlling thread, one at a time.
 */
public interface BrokerExtension {

    /** A short name for logs, e.g. "data path". */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Builds the extension's services and registers its handlers with
     * {@code context.dispatcher()}. Throw to abort the broker's start-up.
     */
    void start(BrokerContext context) throws Exception;

    /** The broker stopped reading requests: complete parked requests now so their responses can still be sent. */
    default void beginShutdown() {
    }

    /** Stops the extension's threads and persists its state. Storage closes after this returns. */
    void close() throws Exception;

    /**
     * Simulates a crash: stops threads and releases resources without persisting anything that
     * a killed process would not have persisted. Defaults to {@link #close()}.
     */
    default void halt() throws Exception {
        close();
    }
}
