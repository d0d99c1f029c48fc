package io.cairn.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    @Test
    void refillDrawsFreshUpperCaseLettersEveryTime() {
        byte[] payload = new byte[1024];
        SplittableRandom random = new SplittableRandom(7);

        Payloads.refillRandomLetters(payload, random);
        byte[] first = payload.clone();
        Payloads.refillRandomLetters(payload, random);

        assertThat(payload).isNotEqualTo(first);
        for (byte b : payload) {
            assertThat(b).isBetween((byte) 'A', (byte) 'Z');
        }
        for (byte b : first) {
            assertThat(b).isBetween((byte) 'A', (byte) 'Z');
        }
    }

    /**
     * The letters have the distribution of one {@code nextInt(26)} per letter, as in Kafka's tool:
     * uniform at every position (including across the boundaries between random draws, and in the
     * cut-short last draw) and independent of their neighbour. Chi-square tests with a fixed seed; the
     * limits are the 1e-6 (per position) and 0.1% quantiles, so a biased split would fail by far.
     */
    @Test
    void lettersAreUniformAndIndependentAtEveryPosition() {
        int size = 2 * Payloads.LETTERS_PER_DRAW + 5;
        int records = 26_000;
        long[][] byPosition = new long[size][26];
        long[] pairs = new long[26 * 26];
        byte[] payload = new byte[size];
        SplittableRandom random = new SplittableRandom(11);
        for (int r = 0; r < records; r++) {
            Payloads.refillRandomLetters(payload, random);
            for (int i = 0; i < size; i++) {
                byPosition[i][payload[i] - 'A']++;
                if (i > 0) {
                    pairs[(payload[i - 1] - 'A') * 26 + payload[i] - 'A']++;
                }
            }
        }
        for (int i = 0; i < size; i++) {
            assertThat(chiSquare(byPosition[i])).as("chi-square of the letters at position " + i).isLessThan(73.9);
        }
        assertThat(chiSquare(pairs)).as("chi-square of neighbouring letter pairs").isLessThan(794.3);
    }

    private static double chiSquare(long[] observed) {
        long total = 0;
        for (long o : observed) {
            total += o;
        }
        double expected = (double) total / observed.length;
        double sum = 0;
        for (long o : observed) {
            sum += (o - expected) * (o - expected) / expected;
        }
        return sum;
    }
}
