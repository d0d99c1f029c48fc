package io.cairn.client.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.client.errors.BufferExhaustedException;
import io.cairn.client.errors.ClientClosedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    @Test
    void reservesAndReleases() {
        BufferPool pool = new BufferPool(1000);
        pool.reserve(600, 0);
        assertThat(pool.availableBytes()).isEqualTo(400);
        pool.release(600);
        assertThat(pool.availableBytes()).isEqualTo(1000);
    }

    @Test
    void timesOutWhenNothingIsReleased() {
        BufferPool pool = new BufferPool(1000);
        pool.reserve(1000, 0);
        assertThatThrownBy(() -> pool.reserve(10, 50))
                .isInstanceOf(BufferExhaustedException.class)
                .hasMessageContaining("10 bytes")
                .hasMessageContaining("max.block.ms=50")
                .hasMessageContaining("buffer.memory=1000");
        assertThat(pool.waiterCount()).isZero();
    }

    @Test
    void blockedReserveUnblocksWhenSpaceIsReleased() throws Exception {
        BufferPool pool = new BufferPool(1000);
        pool.reserve(900, 0);
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> pool.reserve(500, 30_000));
        await("reserve to block").atMost(Duration.ofSeconds(10)).until(() -> pool.waiterCount() == 1);
        assertThat(blocked).isNotDone();
        pool.release(900);
        blocked.get(10, TimeUnit.SECONDS);
        assertThat(pool.availableBytes()).isEqualTo(500);
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        BufferPool pool = new BufferPool(1000);
        pool.reserve(1000, 0);
        CompletableFuture<Void> big = CompletableFuture.runAsync(() -> pool.reserve(800, 30_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.waiterCount() == 1);
        CompletableFuture<Void> small = CompletableFuture.runAsync(() -> pool.reserve(100, 30_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.waiterCount() == 2);
        pool.release(300); // enough for the small one, but the big one came first
        assertThat(pool.waiterCount()).isEqualTo(2);
        assertThat(small).isNotDone();
        pool.release(700);
        big.get(10, TimeUnit.SECONDS);
        small.get(10, TimeUnit.SECONDS);
        assertThat(pool.availableBytes()).isEqualTo(100);
    }

    @Test
    void closeFailsWaiters() {
        BufferPool pool = new BufferPool(100);
        pool.reserve(100, 0);
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> pool.reserve(50, 30_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.waiterCount() == 1);
        pool.close();
        assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ClientClosedException.class);
    }

    @Test
    void rejectsMoreThanTheWholeBudget() {
        assertThatThrownBy(() -> new BufferPool(100).reserve(101, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
