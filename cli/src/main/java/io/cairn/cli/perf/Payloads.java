package io.cairn.cli.perf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.SplittableRandom;

/** Record payloads for the perf tools. Stateless. */
final class Payloads {
    /** Letters drawn from one random number: 12, as six base-676 digits of a number below 26^12 < 2^63. */
    static final int LETTERS_PER_DRAW = 12;
    private static final long PAIRS_CUBED = 676L * 676 * 676;
    /** Entry {@code k}: the two letters of pair number {@code k} (0..675), 'A'+k%26 then 'A'+k/26, little-endian. */
    private static final short[] LETTER_PAIRS = new short[676];
    /** Stores a pair with one write. */
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);

    static {
        for (int k = 0; k < 676; k++) {
            LETTER_PAIRS[k] = (short) (('A' + k % 26) | ('A' + k / 26) << 8);
        }
    }

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
     * {@code nextLong(26^12)} gives 12 letters: split into two halves below 676^3, each into three
     * base-676 digits, each digit into two letters through a table. The digits of a number uniform over
     * [0, 26^12) are independent and uniform, so the payload has exactly the distribution of one
     * {@code nextInt(26)} per letter, for a twelfth of the random draws and with short dependency
     * chains (about twice as fast). The last {@code size % 12} letters are drawn one by one.
     */
    static void refillRandomLetters(byte[] payload, SplittableRandom random) {
        int n = payload.length;
        int i = 0;
        for (; i + LETTERS_PER_DRAW <= n; i += LETTERS_PER_DRAW) {
            long draw = random.nextLong(PAIRS_CUBED * PAIRS_CUBED);
            int hi = (int) (draw / PAIRS_CUBED);
            int lo = (int) (draw - hi * PAIRS_CUBED);
            int hi1 = hi / 676;
            int lo1 = lo / 676;
            putPair(payload, i, hi - hi1 * 676);
            putPair(payload, i + 2, lo - lo1 * 676);
            int hi2 = hi1 / 676;
            int lo2 = lo1 / 676;
            putPair(payload, i + 4, hi1 - hi2 * 676);
            putPair(payload, i + 6, lo1 - lo2 * 676);
            putPair(payload, i + 8, hi2);
            putPair(payload, i + 10, lo2);
        }
        for (; i < n; i++) {
            payload[i] = (byte) (random.nextInt(26) + 65);
        }
    }

    private static void putPair(byte[] payload, int at, int pair) {
        SHORT_LE.set(payload, at, LETTER_PAIRS[pair]);
    }
}
