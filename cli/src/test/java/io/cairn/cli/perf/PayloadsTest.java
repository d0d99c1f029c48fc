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
}
