package io.cairn.cli.perf;

import java.util.Random;
import java.util.SplittableRandom;

/** Record payloads for the perf tools. Stateless. */
final class Payloads {
    private Payloads() {
    }

    /**
     * {@code size} random upper-case ASCII letters, as Kafka's producer perf tool generates them:
     * about as compressible as text, so compression codecs are measured on something realistic.
     */
    static byte[] randomLetters(int size, Random random) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) ('A' + random.nextInt(26));
        }
        return payload;
    }

    /**
     * Overwrites {@code payload} with fresh random upper-case letters, as Kafka's
     * {@code ProducerPerformance} does before every send: each record differs (so compression sees
     * realistic data, not one record repeated) and the generating cost is the same for both tools.
     */
    static void refillRandomLetters(byte[] payload, SplittableRandom random) {
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (random.nextInt(26) + 65);
        }
    }
}
