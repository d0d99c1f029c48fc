package io.cairn.reliability.soak;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of one soak run: how long, how many partitions of which topic, how much load, and the
 * retention and compaction settings that make segments roll, expire and get cleaned within it.
 *
 * <p>Three topics: {@code soak-bytes} (retention by size), {@code soak-time} (retention by age) and
 * {@code soak-compacted} (compaction, bounded key space, tombstones), plus the internal
 * {@code __consumer_offsets} the group commits to. Sizes are chosen so that at the target rate every
 * partition rolls a segment every few seconds and retention deletes some well within the run, while
 * retention keeps several times the group's normal lag (so the group never falls behind it).
 *
 * <p>{@code judgeLoad}: whether throughput stability, the group keeping ahead of retention and the
 * total descriptors and mappings decide the verdict. The bounded run only reports them: a
 * 20-second window on a shared two-core machine measures the neighbours as much as the broker.
 * Correctness (nothing lost or duplicated, compaction, commits), heap, and descriptors beyond live
 * segments are always judged.
 *
 * <p>Immutable.
 */
record SoakSettings(
        long loadMs,
        long warmupMs,
        long sampleIntervalMs,
        long churnIntervalMs,
        int bytesPartitions,
        int timePartitions,
        int compactedPartitions,
        int keySpace,
        int recordsPerSecond,
        int valueBytes,
        int groupMembers,
        int segmentBytes,
        long retentionBytes,
        long retentionMs,
        long segmentMs,
        long deleteRetentionMs,
        long fileDeleteDelayMs,
        int offsetsTopicPartitions,
        boolean judgeLoad) {

    static final String BYTES_TOPIC = "soak-bytes";
    static final String TIME_TOPIC = "soak-time";
    static final String COMPACTED_TOPIC = "soak-compacted";
    static final String GROUP = "soak-group";

    /** The version run by {@code mvn verify}: about 32 s of load over 60 partitions, judged on
     * correctness only (see {@link #judgeLoad}). */
    static SoakSettings bounded() {
        return new SoakSettings(32_000, 14_000, 2_000, 12_000,
                40, 10, 10, 300, 1_000, 200, 3,
                8 * 1024, 40 * 1024, 12_000, 2_000, 2_000, 1_000, 4, false);
    }

    /** The long version: {@code minutes} of load, the same partitions, a membership change every minute. */
    static SoakSettings forMinutes(double minutes) {
        if (!(minutes > 0)) {
            throw new IllegalArgumentException("soak minutes must be > 0, got " + minutes);
        }
        return new SoakSettings(Math.round(minutes * 60_000), 120_000, 5_000, 60_000,
                80, 10, 10, 5_000, 1_500, 200, 3,
                32 * 1024, 192 * 1024, 45_000, 5_000, 5_000, 10_000, 4, true);
    }

    /** The producers' {@code batch.size}: half a segment, since the broker refuses a batch larger than one. */
    int producerBatchBytes() {
        return Math.min(16 * 1024, segmentBytes / 2);
    }

    int partitions() {
        return bytesPartitions + timePartitions + compactedPartitions;
    }

    /** Broker settings on top of the embedded broker's test defaults. */
    Map<String, String> brokerSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("log.retention.check.interval.ms", "1000");
        s.put("log.cleaner.threads", "1");
        s.put("log.cleaner.backoff.ms", "500");
        s.put("log.segment.delete.delay.ms", Long.toString(fileDeleteDelayMs));
        s.put("offsets.topic.num.partitions", Integer.toString(offsetsTopicPartitions));
        s.put("offsets.topic.segment.bytes", Integer.toString(segmentBytes));
        s.put("group.consumer.heartbeat.interval.ms", "500");
        s.put("group.consumer.session.timeout.ms", "10000");
        return s;
    }

    Map<String, String> bytesTopicConfig() {
        return Map.of("cleanup.policy", "delete", "segment.bytes", Integer.toString(segmentBytes),
                "retention.bytes", Long.toString(retentionBytes), "retention.ms", "-1");
    }

    Map<String, String> timeTopicConfig() {
        return Map.of("cleanup.policy", "delete", "segment.bytes", Integer.toString(segmentBytes),
                "segment.ms", Long.toString(segmentMs), "retention.ms", Long.toString(retentionMs));
    }

    Map<String, String> compactedTopicConfig() {
        return Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(segmentBytes),
                "segment.ms", Long.toString(segmentMs), "delete.retention.ms", Long.toString(deleteRetentionMs),
                "min.cleanable.dirty.ratio", "0.01", "min.compaction.lag.ms", "0");
    }

    @Override
    public String toString() {
        return String.format("load=%ds warmup=%ds sample=%ds churn=%ds partitions=%d (%s %d, %s %d, %s %d) keys=%d "
                        + "rate=%d rec/s value=%dB members=%d segment.bytes=%d retention.bytes=%d retention.ms=%d "
                        + "segment.ms=%d delete.retention.ms=%d file.delete.delay.ms=%d offsets.topic.num.partitions=%d "
                + "load judged=%b",
                loadMs / 1000, warmupMs / 1000, sampleIntervalMs / 1000, churnIntervalMs / 1000, partitions(),
                BYTES_TOPIC, bytesPartitions, TIME_TOPIC, timePartitions, COMPACTED_TOPIC, compactedPartitions,
                keySpace, recordsPerSecond, valueBytes, groupMembers, segmentBytes, retentionBytes, retentionMs,
                segmentMs, deleteRetentionMs, fileDeleteDelayMs, offsetsTopicPartitions, judgeLoad);
    }
}
