package io.cairn.bench.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency of Apache Kafka at a fixed offered rate, measured with the kafka-clients API:
 * the Kafka counterpart of {@code cairn perf e2e} in the Cairn-vs-Kafka benchmark.
 *
 * <p>Kafka's own {@code EndToEndLatency} tool sends one record at a time and waits for it before
 * sending the next, so it cannot hold a fixed rate; this program can. One producer sends
 * {@code --records} records of {@code --record-size} bytes at {@code --throughput} records/s on a
 * fixed schedule; a consumer in the same JVM, assigned every partition of the topic at its end,
 * reads them back. Each value carries its scheduled send time ({@link System#nanoTime()}) and its
 * index, so the latency of a record is "received - scheduled": a sender that falls behind its
 * schedule shows up as latency instead of being hidden (no coordinated omission). The first
 * {@code --warmup-records} records are not counted.
 *
 * <p>Threads: the main thread produces; one consumer thread owns the consumer and the histogram
 * until it is joined.
 *
 * <p>Output: one human-readable summary line and one {@code RESULT {json}} line on stdout; exit
 * code 1 if not every record came back within {@code --timeout-ms} after the last send.
 */
public final class FixedRateLatency {

    private static final int HEADER_BYTES = 16; // scheduled send nanos (8) + record index (8)
    private static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.SECONDS.toMicros(60);

    private FixedRateLatency() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        System.exit(run(options));
    }

    private static int run(Options options) throws InterruptedException {
        Histogram histogram = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        AtomicLong received = new AtomicLong();
        AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
        Properties consumerProps = options.consumerProperties();
        Properties producerProps = options.producerProperties();

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
            List<TopicPartition> partitions = partitionsOf(consumer, options.topic, options.timeoutMs);
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            for (TopicPartition partition : partitions) {
                consumer.position(partition, Duration.ofMillis(options.timeoutMs)); // resolve now, not after sends
            }
            AtomicLong deadlineNanos = new AtomicLong(Long.MAX_VALUE); // set once the last record is sent
            Thread consumerThread = new Thread(() -> {
                try {
                    consume(consumer, options, histogram, received, deadlineNanos);
                } catch (Throwable t) {
                    consumerFailure.set(t);
                }
            }, "e2e-consumer");
            consumerThread.start();

            long intervalNanos = Math.round(1e9 / options.throughput);
            byte[] template = new byte[options.recordSize];
            for (int i = HEADER_BYTES; i < template.length; i++) {
                template[i] = (byte) ('A' + (i % 26));
            }
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            for (long i = 0; i < options.records; i++) {
                long scheduled = start + i * intervalNanos;
                long now;
                while ((now = System.nanoTime()) < scheduled) {
                    long waitNanos = scheduled - now;
                    if (waitNanos > 50_000) {
                        LockSupport.parkNanos(waitNanos - 20_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                byte[] value = template.clone();
                ByteBuffer.wrap(value).putLong(scheduled).putLong(i);
                producer.send(new ProducerRecord<>(options.topic, value));
            }
            producer.flush();
            long sendNanos = System.nanoTime() - start;
            deadlineNanos.set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.timeoutMs));
            consumerThread.join(options.timeoutMs + 5_000);
            if (consumerThread.isAlive()) {
                consumerThread.interrupt();
                consumer.wakeup();
                consumerThread.join(5_000);
            }
            if (consumerFailure.get() != null) {
                throw new IllegalStateException("consumer of " + options.topic + " failed", consumerFailure.get());
            }
            return report(options, histogram, received.get(), sendNanos);
        }
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String topic, long timeoutMs) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofMillis(timeoutMs));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " has no partitions (does it exist?)");
        }
        List<TopicPartition> partitions = new ArrayList<>(infos.size());
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        return partitions;
    }

    private static void consume(KafkaConsumer<byte[], byte[]> consumer, Options options, Histogram histogram,
                                AtomicLong received, AtomicLong deadlineNanos) {
        long expected = options.records;
        while (received.get() < expected) {
            if (System.nanoTime() > deadlineNanos.get() || Thread.currentThread().isInterrupted()) {
                return;
            }
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
            long now = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                ByteBuffer value = ByteBuffer.wrap(record.value());
                long scheduled = value.getLong();
                long index = value.getLong();
                if (index >= options.warmupRecords) {
                    long micros = Math.max(0, (now - scheduled) / 1_000);
                    histogram.recordValue(Math.min(micros, HIGHEST_TRACKABLE_MICROS));
                }
                received.incrementAndGet();
            }
        }
    }

    private static int report(Options options, Histogram histogram, long received, long sendNanos) {
        double seconds = sendNanos / 1e9;
        double rate = options.records / seconds;
        double p50 = histogram.getValueAtPercentile(50) / 1000.0;
        double p99 = histogram.getValueAtPercentile(99) / 1000.0;
        double p999 = histogram.getValueAtPercentile(99.9) / 1000.0;
        double max = histogram.getMaxValue() / 1000.0;
        double mean = histogram.getMean() / 1000.0;
        System.out.printf(Locale.ROOT,
                "%d records sent at %.1f records/s, %d received, %d measured; latency ms: avg %.3f, p50 %.3f,"
                        + " p99 %.3f, p99.9 %.3f, max %.3f%n",
                options.records, rate, received, histogram.getTotalCount(), mean, p50, p99, p999, max);
        System.out.printf(Locale.ROOT,
                "RESULT {\"tool\":\"kafka-fixed-rate-e2e\",\"records\":%d,\"received\":%d,\"measured\":%d,"
                        + "\"targetRecordsPerSec\":%.1f,\"recordsPerSec\":%.1f,\"recordSize\":%d,"
                        + "\"avgMs\":%.3f,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f}%n",
                options.records, received, histogram.getTotalCount(), options.throughput, rate,
                options.recordSize, mean, p50, p99, p999, max);
        return received == options.records ? 0 : 1;
    }

    /** Command line: flags in the style of Kafka's perf tools. */
    private static final class Options {
        String bootstrap;
        String topic;
        long records;
        double throughput;
        int recordSize;
        long warmupRecords;
        long timeoutMs = 60_000;
        final List<String> producerProps = new ArrayList<>();
        final List<String> consumerProps = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw usage("missing value after " + flag);
                }
                String value = args[++i];
                switch (flag) {
                    case "--bootstrap-server" -> o.bootstrap = value;
                    case "--topic" -> o.topic = value;
                    case "--records" -> o.records = Long.parseLong(value);
                    case "--throughput" -> o.throughput = Double.parseDouble(value);
                    case "--record-size" -> o.recordSize = Integer.parseInt(value);
                    case "--warmup-records" -> o.warmupRecords = Long.parseLong(value);
                    case "--timeout-ms" -> o.timeoutMs = Long.parseLong(value);
                    case "--producer-prop" -> o.producerProps.add(value);
                    case "--consumer-prop" -> o.consumerProps.add(value);
                    default -> throw usage("unknown flag " + flag);
                }
            }
            if (o.bootstrap == null || o.topic == null || o.records <= 0 || o.throughput <= 0) {
                throw usage("--bootstrap-server, --topic, --records > 0 and --throughput > 0 are required");
            }
            if (o.recordSize < HEADER_BYTES) {
                throw usage("--record-size must be at least " + HEADER_BYTES + " (send time and index), got "
                        + o.recordSize);
            }
            if (o.warmupRecords < 0 || o.warmupRecords >= o.records) {
                throw usage("--warmup-records must be in [0, records), got " + o.warmupRecords);
            }
            return o;
        }

        Properties producerProperties() {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            putAll(p, producerProps);
            return p;
        }

        Properties consumerProperties() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            putAll(p, consumerProps);
            return p;
        }

        private static void putAll(Properties target, List<String> pairs) {
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw usage("property must be key=value, got '" + pair + "'");
                }
                target.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }

        private static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(problem + "\nusage: FixedRateLatency --bootstrap-server H:P --topic T"
                    + " --records N --throughput R --record-size S [--warmup-records W] [--timeout-ms MS]"
                    + " [--producer-prop k=v]... [--consumer-prop k=v]...");
        }
    }
}
