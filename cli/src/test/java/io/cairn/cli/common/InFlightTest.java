package io.cairn.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightTest {

    @Test
    void awaitReturnsOnceEveryBeginHasItsEnd() throws InterruptedException {
        InFlight inFlight = new InFlight();
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 100_000; i++) {
                inFlight.begin();
                callbacks.execute(inFlight::end);
            }

            assertThat(inFlight.awaitNone(30_000)).isTrue();
            assertThat(inFlight.count()).isZero();
        } finally {
            callbacks.shutdown();
            callbacks.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void awaitGivesUpAfterItsTimeout() throws InterruptedException {
        InFlight inFlight = new InFlight();
        inFlight.begin();

        assertThat(inFlight.awaitNone(20)).isFalse();
        assertThat(inFlight.count()).isEqualTo(1);
    }
}
