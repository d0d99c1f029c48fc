package io.cairn.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.producer.SequenceCheck.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * A producer with up to five batches in flight (as Kafka's client: never five past the oldest
 * unanswered one), whose sends may arrive in any order, be retried any number of times, and
 * whose answers may be lost: whatever the interleaving, the log gets every sequence exactly once
 * and in order, and every retry of an appended batch is answered with its first offsets.
 */
class ProducerStatePropertyTest {

    /** One batch as sent; {@code index} counts batches in send order. */
    private record Sent(int index, int firstSeq, int lastSeq) {
    }

    @Property(tries = 300)
    void retriesNeverDuplicateOrReorder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int steps) {
        Random random = new Random(seed);
        ProducerStateManager state = new ProducerStateManager("p-0");
        long pid = 3;
        short epoch = 0;
        long nextOffset = 0;
        int nextSeq = random.nextInt(3) == 0 ? Integer.MAX_VALUE - 20 : 0;
        int sentCount = 0;
        List<Sent> inFlight = new ArrayList<>();           // sent and not answered yet, in send order
        Map<Sent, long[]> appended = new HashMap<>();        // what the log holds, by sequence range
        List<Sent> logOrder = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            // like Kafka's client: no batch is sent five or more past the oldest unanswered one
            boolean windowOpen = inFlight.isEmpty()
                    || sentCount - inFlight.get(0).index() < ProducerStateEntry.MAX_BATCHES;
            if (windowOpen && (inFlight.isEmpty() || random.nextBoolean())) {
                int count = 1 + random.nextInt(4);
                int first = nextSeq;
                int last = (int) ((first + (long) count - 1) % (Integer.MAX_VALUE + 1L));
                nextSeq = (int) ((last + 1L) % (Integer.MAX_VALUE + 1L));
                inFlight.add(new Sent(sentCount++, first, last));
            }
            // one delivery: the first copy of any batch in flight, or a retry (arrival order is free)
            Sent send = inFlight.get(random.nextInt(inFlight.size()));
            SequenceCheck check = state.check(pid, epoch, send.firstSeq(), send.lastSeq());
            Statistics.collect(check.outcome());
            if (check.outcome() == Outcome.ACCEPT) {
                assertThat(appended).as("appended twice: %s", send).doesNotContainKey(send);
                int count = send.lastSeq() >= send.firstSeq() ? send.lastSeq() - send.firstSeq() + 1
                        : Integer.MAX_VALUE - send.firstSeq() + 1 + send.lastSeq() + 1;
                state.record(pid, epoch, send.firstSeq(), send.lastSeq(), nextOffset, nextOffset + count - 1, step);
                appended.put(send, new long[] {nextOffset, nextOffset + count - 1});
                logOrder.add(send);
                nextOffset += count;
            } else if (check.outcome() == Outcome.DUPLICATE) {
                assertThat(appended).containsKey(send);
                assertThat(check.duplicateOf().firstOffset()).isEqualTo(appended.get(send)[0]);
                assertThat(check.duplicateOf().lastOffset()).isEqualTo(appended.get(send)[1]);
            } else {
                // a batch sent ahead of a gap: the producer retries it after the earlier ones
                assertThat(check.outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
                assertThat(appended).doesNotContainKey(send);
            }
            // the answer to an appended batch may be lost (then the producer retries it later)
            if (appended.containsKey(send) && random.nextInt(3) > 0) {
                inFlight.remove(send);
            }
        }
        Statistics.coverage(coverage -> {
            coverage.check(Outcome.DUPLICATE).count(c -> c > 0);
            coverage.check(Outcome.OUT_OF_ORDER_SEQUENCE).count(c -> c > 0);
            coverage.check(Outcome.ACCEPT).count(c -> c > 0);
        });
        for (int i = 1; i < logOrder.size(); i++) {
            assertThat(BatchMetadata.inSequence(logOrder.get(i - 1).lastSeq(), logOrder.get(i).firstSeq()))
                    .as("log order %s then %s", logOrder.get(i - 1), logOrder.get(i)).isTrue();
        }
    }
}
