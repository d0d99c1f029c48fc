package io.cairn.cli.perf;

import java.util.Random;

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
}
