package io.cairn.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriterLaneTest {
    private final WriterLane lane = new WriterLane("test-lane");

    @AfterEach
    void tearDown() throws InterruptedException {
        lane.shutdown();
        lane.awaitTermination(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void runsOnTheCallerWhenIdleAndQueuesBehindWorkInProgress() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        assertThat(lane.runHereIfIdle(() -> ranOn.set(Thread.currentThread()))).isTrue();
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        lane.execute(() -> {
            started.countDown();
            await(release);
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).as("lane task started").isTrue();
        AtomicBoolean ran = new AtomicBoolean();
        assertThat(lane.runHereIfIdle(() -> ran.set(true))).as("lane busy: refused").isFalse();
        assertThat(ran).isFalse();

        List<String> order = Collections.synchronizedList(new ArrayList<>());
        lane.execute(() -> order.add("queued"));
        assertThat(lane.runHereIfIdle(() -> order.add("here"))).as("work queued: refused").isFalse();
        release.countDown();
        Awaitility.await("queued task ran").atMost(5, TimeUnit.SECONDS).until(() -> order.size() == 1);
        Awaitility.await("lane idle again").atMost(5, TimeUnit.SECONDS)
                .until(() -> lane.runHereIfIdle(() -> order.add("here")));
        assertThat(order).containsExactly("queued", "here");
    }

    @Test
    void tasksFromOneSubmitterRunOneAtATimeInSubmissionOrder() throws Exception {
        int tasks = 5_000;
        List<Integer> order = new ArrayList<>(); // guarded by the lane: one task at a time
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger otherDone = new AtomicInteger();
        // a second submitter competes for the lane the whole time
        Thread other = new Thread(() -> {
            for (int i = 0; i < tasks; i++) {
                Runnable task = () -> {
                    if (running.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    otherDone.incrementAndGet();
                    running.decrementAndGet();
                };
                if (i % 2 == 0 || !lane.runHereIfIdle(task)) {
                    lane.execute(task);
                }
            }
        });
        other.start();
        for (int i = 0; i < tasks; i++) {
            int n = i;
            Runnable task = () -> {
                if (running.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                order.add(n);
                running.decrementAndGet();
            };
            if (i % 3 == 0 || !lane.runHereIfIdle(task)) {
                lane.execute(task);
            }
        }
        other.join(10_000);
        CountDownLatch drained = new CountDownLatch(1);
        lane.execute(drained::countDown);
        assertThat(drained.await(10, TimeUnit.SECONDS)).as("lane drained").isTrue();
        assertThat(overlaps).as("tasks that ran while another was running").hasValue(0);
        assertThat(otherDone).hasValue(tasks);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            expected.add(i);
        }
        synchronized (order) {
            assertThat(order).isEqualTo(expected);
        }
    }

    @Test
    void aFailingTaskDoesNotStopTheLane() throws Exception {
        lane.execute(() -> {
            throw new IllegalStateException("injected");
        });
        CountDownLatch after = new CountDownLatch(1);
        lane.execute(after::countDown);
        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shutdownRefusesNewTasksAndRunsQueuedOnes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        lane.execute(() -> await(release));
        AtomicBoolean queued = new AtomicBoolean();
        lane.execute(() -> queued.set(true));
        lane.shutdown();
        assertThatThrownBy(() -> lane.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("test-lane");
        assertThat(lane.runHereIfIdle(() -> { })).isFalse();
        release.countDown();
        assertThat(lane.awaitTermination(TimeUnit.SECONDS.toNanos(5))).isTrue();
        assertThat(queued).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
