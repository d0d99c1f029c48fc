package io.cairn.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.NewTopic;
import io.cairn.client.admin.OffsetSpec;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.serialization.Serdes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 9, recovery speed: a partition is written in two halves with a recovery checkpoint
 * between them (a clean restart writes it), the broker is killed with SIGKILL after the second half
 * and restarted. The restarted broker must scan only the segments from the one holding the
 * checkpointed recovery point on (what its {@code recovered from recovery point} line reports is
 * compared with the segment files on disk), keep every record, and scan at no more than 10 s per
 * GiB (asserted as such with strict times, see {@link TimeLimits}).
 *
 * <p>{@code -Dcairn.reliability.recoveryMiB=N} sets the size of each half (32 MiB by default;
 * 1024 in {@code reliability/recovery-speed.sh}).
 */
class RecoverySpeedTest {
    private static final String TOPIC = "recovery";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int VALUE_BYTES = 1000;
    private static final double MAX_SECONDS_PER_GIB = 10.0;
    private static final Pattern RECOVERED = Pattern.compile(
        Pattern.quote(TOPIC) + "-0: recovered from recovery point (\\d+): scanned (\\d+) bytes in (\\d+) segment\\(s\\)"
            + " from offset (\\d+) in (\\d+) ms");

    @TempDir
    Path dataDir;

    @Test
    void recoveryScansOnlyTheTailAfterTheRecoveryPoint() throws Exception {
        long halfBytes = Long.getLong("cairn.reliability.recoveryMiB", 32L) << 20;
        long segmentBytes = Math.max(4L << 20, Math.min(128L << 20, halfBytes / 4));
        Map<String, String> settings = Map.of("log.segment.bytes", Long.toString(segmentBytes));
        try (BrokerProcess broker = BrokerProcess.create(dataDir, BrokerProcess.logDirFor("RecoverySpeedTest"), settings)) {
            broker.start();
            try (CairnAdmin admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).build()) {
                admin.createTopics(List.of(NewTopic.of(TOPIC, 1))).get(30, TimeUnit.SECONDS);
            }
            long written = produce(broker, halfBytes, 1);
            assertThat(broker.stop()).as("exit after SIGTERM").isEqualTo(143);
            long recoveryPoint = checkpointedRecoveryPoint();
            broker.start();
            written += produce(broker, halfBytes, 2);
            long endOffset = endOffset(broker);
            assertThat(endOffset).as("second half appended after the recovery point").isGreaterThan(recoveryPoint);

            broker.kill9();
            TreeMap<Long, Long> segments = segmentSizes();
            long base = segments.floorKey(recoveryPoint);
            long expectedScan = segments.tailMap(base, true).values().stream().mapToLong(Long::longValue).sum();
            long logBytes = segments.values().stream().mapToLong(Long::longValue).sum();
            Duration restart = broker.start();

            Matcher m = RECOVERED.matcher(broker.logOf(broker.runs()));
            assertThat(m.find()).as("recovery line of %s in %s", TP, broker.logFile(broker.runs())).isTrue();
            long reportedPoint = Long.parseLong(m.group(1));
            long scanned = Long.parseLong(m.group(2));
            long scanMs = Long.parseLong(m.group(5));
            assertThat(reportedPoint).as("recovery point used").isEqualTo(recoveryPoint);
            assertThat(Long.parseLong(m.group(4))).as("first offset scanned").isEqualTo(base);
            assertThat(scanned).as("bytes scanned: the segment holding the recovery point and every later one")
                .isEqualTo(expectedScan)
                .isLessThanOrEqualTo(logBytes - (base == segments.firstKey() ? 0 : segments.firstEntry().getValue()));
            assertThat(endOffset(broker)).as("every record kept").isEqualTo(endOffset);

            double gib = scanned / (double) (1L << 30);
            double secondsPerGib = scanMs / 1000.0 / gib;
            Results.report("RecoverySpeedTest", "written=" + (written >> 20) + " MiB, log=" + (logBytes >> 20)
                + " MiB in " + segments.size() + " segments, recoveryPoint=" + recoveryPoint + " of endOffset=" + endOffset
                + ", scanned=" + (scanned >> 20) + " MiB (" + scanned + " bytes, " + m.group(3) + " segments) in " + scanMs
                + " ms = " + String.format("%.2f", secondsPerGib) + " s/GiB, restart(spawn->serving)=" + restart.toMillis()
                + " ms strictTimes=" + TimeLimits.strict());
            if (TimeLimits.strict()) {
                assertThat(secondsPerGib).as("seconds per GiB scanned").isLessThanOrEqualTo(MAX_SECONDS_PER_GIB);
            } else {
                assertThat(Duration.ofMillis(scanMs)).as("scan time").isLessThan(TimeLimits.LOOSE);
            }
        }
    }

    /** Sends {@code bytes} of 1000-byte values with acks=1 (the page cache holds them through SIGKILL). */
    private static long produce(BrokerProcess broker, long bytes, int seed) throws Exception {
        Random random = new Random(seed);
        byte[][] values = new byte[64][VALUE_BYTES];
        for (byte[] v : values) {
            random.nextBytes(v);
        }
        long count = bytes / VALUE_BYTES;
        try (CairnProducer<byte[], byte[]> producer = CairnProducer.builder()
                .bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.bytesSerializer())
                .valueSerializer(Serdes.bytesSerializer())
                .acks("1")
                .batchSize(256 * 1024)
                .lingerMs(5)
                .maxRequestSize(4 << 20)
                .build()) {
            for (long i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, values[(int) (i & 63)]));
            }
            producer.flush();
        }
        return count * VALUE_BYTES;
    }

    private long checkpointedRecoveryPoint() throws IOException {
        for (String line : Files.readAllLines(dataDir.resolve("recovery-point-offset-checkpoint"))) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[0].equals(TOPIC) && f[1].equals("0")) {
                return Long.parseLong(f[2]);
            }
        }
        throw new AssertionError("no recovery point of " + TP + " in " + dataDir.resolve("recovery-point-offset-checkpoint"));
    }

    private TreeMap<Long, Long> segmentSizes() throws IOException {
        TreeMap<Long, Long> sizes = new TreeMap<>();
        try (Stream<Path> files = Files.list(dataDir.resolve(TOPIC + "-0"))) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches("\\d{19}\\.log")).toList()) {
                sizes.put(Long.parseLong(p.getFileName().toString().substring(0, 19)), Files.size(p));
            }
        }
        return sizes;
    }

    private static long endOffset(BrokerProcess broker) throws Exception {
        try (CairnAdmin admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).build()) {
            return admin.listOffsets(Map.of(TP, OffsetSpec.latest())).get(60, TimeUnit.SECONDS).get(TP).offset();
        }
    }
}
