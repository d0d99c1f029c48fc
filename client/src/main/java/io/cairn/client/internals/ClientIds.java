package io.cairn.client.internals;

import java.util.concurrent.atomic.AtomicInteger;

/** Generates {@code producer-1}, {@code consumer-2} ... for clients given no {@code client.id}. Thread-safe. */
public final class ClientIds {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private ClientIds() {
    }

    /** The next generated id for a client of {@code kind}. */
    public static String next(String kind) {
        return kind + "-" + SEQUENCE.incrementAndGet();
    }
}
