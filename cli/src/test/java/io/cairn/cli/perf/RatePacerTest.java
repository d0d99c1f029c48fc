package io.cairn.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatePacerTest {

    /** A clock that only moves when parked (or told to), recording every wait. */
    private static final class FakeClock implements RatePacer.Clock {
        long now = 1_000_000;
        final List<Long> parks = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void parkNanos(long nanos) {
            parks.add(nanos);
            now += nanos;
        }
    }

    @Test
    void spacesOperationsEvenlyAtTheTargetRate() {
        FakeClock clock = new FakeClock();
        RatePacer pacer = new RatePacer(1_000, clock);
        long start = clock.now;

        List<Long> scheduled = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            scheduled.add(pacer.acquire() - start);
        }

        assertThat(scheduled).containsExactly(0L, 1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L);
        assertThat(clock.parks).containsExactly(1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L);
        assertThat(clock.now - start).isEqualTo(4_000_000L);
    }

    @Test
    void makesUpForAStallWithoutWaiting() {
        FakeClock clock = new FakeClock();
        RatePacer pacer = new RatePacer(100, clock);
        pacer.acquire();
        clock.now += 55_000_000; // a 55 ms stall: operations 1..5 are overdue

        long start = clock.now - 55_000_000;
        for (int i = 1; i <= 5; i++) {
            assertThat(pacer.acquire() - start).as("operation %s keeps its scheduled time", i).isEqualTo(i * 10_000_000L);
        }
        pacer.acquire(); // operation 6 is due at 60 ms

        assertThat(clock.parks).containsExactly(5_000_000L);
    }

    @Test
    void aNegativeRateNeverWaits() {
        FakeClock clock = new FakeClock();
        RatePacer pacer = new RatePacer(-1, clock);

        for (int i = 0; i < 1000; i++) {
            pacer.acquire();
        }

        assertThat(clock.parks).isEmpty();
    }

    @Test
    void aZeroRateIsRefused() {
        assertThatThrownBy(() -> new RatePacer(0, new FakeClock())).isInstanceOf(IllegalArgumentException.class);
    }
}
