package io.cairn.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class E2eProbeTest {

    @Test
    void stampsRunIdScheduleAndIndexIntoFreshPayloads() {
        E2eProbe probe = new E2eProbe(42, 100, new Random(1));

        byte[] first = probe.next(0, 1_000);
        byte[] second = probe.next(1, 2_000);

        assertThat(first).hasSize(100).isNotSameAs(second);
        assertThat(probe.isOurs(first)).isTrue();
        assertThat(E2eProbe.scheduledNanos(first)).isEqualTo(1_000);
        assertThat(E2eProbe.scheduledNanos(second)).isEqualTo(2_000);
        assertThat(E2eProbe.index(second)).isEqualTo(1);
        for (int i = E2eProbe.HEADER_SIZE; i < 100; i++) {
            assertThat(first[i]).isBetween((byte) 'A', (byte) 'Z');
        }
    }

    @Test
    void recordsOfOtherRunsOrTooShortAreNotOurs() {
        E2eProbe probe = new E2eProbe(42, 30, new Random(1));
        E2eProbe other = new E2eProbe(43, 30, new Random(1));

        assertThat(probe.isOurs(other.next(0, 0))).isFalse();
        assertThat(probe.isOurs(new byte[10])).isFalse();
        assertThat(probe.isOurs(null)).isFalse();
    }

    @Test
    void aRecordTooSmallForTheHeaderIsRefused() {
        assertThatThrownBy(() -> new E2eProbe(1, 23, new Random())).isInstanceOf(IllegalArgumentException.class);
    }
}
