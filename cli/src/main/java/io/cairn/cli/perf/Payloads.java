package io.cairn.cli.perf;

import java.util.Random;
import java.util.SplittableRandom;

/** Record payloads for the perf tools. Stateless. */
final class Payloads {
    /** Letters drawn from one random number: 26^13 < 2^63, so one draw below 26^13 holds 13 letters. */
    static final int LETTERS_PER_DRAW = 13;
    private static final long LETTER_COMBINATIONS = pow26(LETTERS_PER_DRAW);

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
     * realistic data, not one record repeated), every letter independent and uniform over A-Z.
     *
     * <p>Kafka's tool draws {@code nextInt(26)} per letter. Here one unbiased draw of
     * {@code nextLong(26^13)} is split into its 13 base-26 digits: the digits of a number uniform over
     * [0, 26^13) are independent and each uniform over [0, 26), so the payload has exactly the same
     * distribution for a thirteenth of the random draws.
     */
    static void refillRandomLetters(byte[] payload, SplittableRandom random) {
        int i = 0;
        int n = payload.length;
        while (i < n) {
            long digits = random.nextLong(LETTER_COMBINATIONS);
            int end = Math.min(n, i + LETTERS_PER_DRAW);
            for (; i < end; i++) {
                payload[i] = (byte) ('A' + (int) (digits % 26));
                digits /= 26;
            }
        }
    }

    private static long pow26(int exponent) {
        long v = 1;
        for (int i = 0; i < exponent; i++) {
            v = Math.multiplyExact(v, 26L);
        }
        return v;
    }
}
