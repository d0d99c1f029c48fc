package io.cairn.reliability.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The outcome of one soak: counts, the sampled series, their trends, and the list of checks that
 * failed ({@link #failures()} empty means the soak passed). {@link #text()} is what the run prints
 * and writes to {@code target/soak-summary.txt}.
 *
 * <p>Pass criteria (after warm-up; those marked * only when {@link SoakSettings#judgeLoad()}):
 * <ul>
 *   <li>* produce and consume throughput: last third's rate within ±30 % of the first third's;</li>
 *   <li>heap after GC: last third's median at most max(32 MiB, 25 %) above the first third's;</li>
 *   <li>open file descriptors and mapped data files beyond those of live segments (one descriptor
 *       and three mappings each: two indexes, the log's header mapping): at most max(64, 25 %) above — this holds from the first deletion on,
 *       while the totals still grow with the segment count until retention reaches its steady state;</li>
 *   <li>* with a warm-up of at least a minute (the long soak), the totals too: at most max(32, 15 %) above;</li>
 *   <li>retained topics: 0 lost, 0 duplicated, (*) 0 skipped by retention, 0 failed sends, group
 *       committed offsets at the log end; compacted topic: last acknowledged value per key, no
 *       duplicate key and no expired tombstone after cleaning;</li>
 *   <li>no descriptor or mapping of an unlinked data file left once the deletion delay passed after the run;</li>
 *   <li>retention and compaction really ran: log start offsets moved on a quarter of the retained partitions or more, the compacted log holds far
 *       fewer records than were written.</li>
 * </ul>
 *
 * <p>Immutable.
 */
final class SoakSummary {
    static final double THROUGHPUT_TOLERANCE = 0.30;
    static final double HEAP_GROWTH_BYTES = 32.0 * 1024 * 1024;
    static final double HEAP_GROWTH_FRACTION = 0.25;
    static final double FD_GROWTH = 32;
    static final double FD_GROWTH_FRACTION = 0.15;
    static final double BEYOND_SEGMENTS_GROWTH = 64;
    static final double BEYOND_SEGMENTS_GROWTH_FRACTION = 0.25;
    static final long STEADY_WARMUP_MS = 60_000;

    private final String text;
    private final List<String> failures;
    private final List<SoakSample> samples;
    private final DeliveryLedger.Verdict retained;
    private final CompactionOracle.Verdict compacted;

    private SoakSummary(String text, List<String> failures, List<SoakSample> samples, DeliveryLedger.Verdict retained,
                        CompactionOracle.Verdict compacted) {
        this.text = text;
        this.failures = failures;
        this.samples = samples;
        this.retained = retained;
        this.compacted = compacted;
    }

    String text() {
        return text;
    }

    List<String> failures() {
        return failures;
    }

    List<SoakSample> samples() {
        return samples;
    }

    DeliveryLedger.Verdict retained() {
        return retained;
    }

    CompactionOracle.Verdict compacted() {
        return compacted;
    }

    void writeTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }

    /** Collects the parts of a summary as the run produces them. Used by one thread. */
    static final class Builder {
        private final SoakSettings settings;
        private final String loadStart;
        private String loadEnd = "";
        private long wallMs;
        private long producersStoppedAfterMs;
        private long outstandingSends;
        private long drainMs;
        private long groupFormedMs;
        private long compactionCheckMs;
        private int compactedSegmentsAtEnd;
        private List<SoakSample> samples = List.of();
        private int churns;
        private int membersStarted;
        private List<String> committedMismatches = List.of();
        private DeliveryLedger.Verdict retained;
        private Map<String, DeliveryLedger.LogBounds> retainedBounds = Map.of();
        private long compactedDeliveryDuplicates;
        private CompactionOracle.Verdict compacted;
        private long ledgerBytes;
        private ProcessProbe.Unlinked unlinkedAtEnd;
        private List<Throwable> errors = List.of();

        Builder(SoakSettings settings, String loadStart) {
            this.settings = settings;
            this.loadStart = loadStart;
        }

        Builder loadEnd(String v) {
            loadEnd = v;
            return this;
        }

        Builder wallMs(long v) {
            wallMs = v;
            return this;
        }

        Builder producersStoppedAfterMs(long v) {
            producersStoppedAfterMs = v;
            return this;
        }

        Builder outstandingSends(long v) {
            outstandingSends = v;
            return this;
        }

        Builder drainMs(long v) {
            drainMs = v;
            return this;
        }

        Builder groupFormedMs(long v) {
            groupFormedMs = v;
            return this;
        }

        Builder compactionCheckMs(long v) {
            compactionCheckMs = v;
            return this;
        }

        Builder compactedSegmentsAtEnd(int v) {
            compactedSegmentsAtEnd = v;
            return this;
        }

        Builder samples(List<SoakSample> v) {
            samples = v;
            return this;
        }

        Builder churns(int v) {
            churns = v;
            return this;
        }

        Builder membersStarted(int v) {
            membersStarted = v;
            return this;
        }

        Builder committedMismatches(List<String> v) {
            committedMismatches = v;
            return this;
        }

        Builder retained(DeliveryLedger.Verdict v, Map<String, DeliveryLedger.LogBounds> bounds) {
            retained = v;
            retainedBounds = bounds;
            return this;
        }

        Builder compactedDeliveryDuplicates(long v) {
            compactedDeliveryDuplicates = v;
            return this;
        }

        Builder compacted(CompactionOracle.Verdict v) {
            compacted = v;
            return this;
        }

        Builder unlinkedAtEnd(ProcessProbe.Unlinked v) {
            unlinkedAtEnd = v;
            return this;
        }

        Builder ledgerBytes(long v) {
            ledgerBytes = v;
            return this;
        }

        Builder errors(List<Throwable> v) {
            errors = v;
            return this;
        }

        SoakSummary build() {
            List<String> failures = new ArrayList<>();
            StringBuilder out = new StringBuilder();
            out.append("Cairn soak (reliability scenario 17)\n");
            out.append("settings: ").append(settings).append('\n');
            out.append("load average at start: ").append(loadStart).append(", at end: ").append(loadEnd)
                    .append(" (").append(Runtime.getRuntime().availableProcessors()).append(" cores)\n");
            out.append(String.format("wall time %.1f s: group formed in %.1f s; producers stopped after %.1f s of load; "
                            + "group drained in %.1f s; compaction verified in %.1f s; members started %d (%d replaced "
                            + "during the load)%n", wallMs / 1000.0, groupFormedMs / 1000.0, producersStoppedAfterMs / 1000.0,
                    drainMs / 1000.0, compactionCheckMs / 1000.0, membersStarted, churns));

            out.append("\nsamples (heap = used after a full GC, whole JVM; fds = /proc/self/fd; maps = mappings of data files)\n");
            out.append(SoakSample.HEADER).append('\n');
            for (SoakSample s : samples) {
                out.append(s.line()).append('\n');
            }

            List<SoakSample> steady = samples.stream().filter(s -> s.elapsedMs() >= settings.warmupMs()
                    && s.elapsedMs() <= producersStoppedAfterMs).toList();
            out.append(String.format("%ntrends over %d samples after the %d s warm-up (first third -> last third: median, "
                            + "and for rates the mean; least-squares slope per minute)%n",
                    steady.size(), settings.warmupMs() / 1000));
            if (steady.size() < 3) {
                failures.add("only " + steady.size() + " samples after warm-up; a trend needs 3");
            } else {
                SeriesTrend produced = trend(out, steady, "produced records/s", SoakSample::producedPerSec, v -> String.format("%.0f", v));
                SeriesTrend consumed = trend(out, steady, "consumed records/s", SoakSample::consumedPerSec, v -> String.format("%.0f", v));
                SeriesTrend heap = trend(out, steady, "heap after GC MiB", s -> s.heapAfterGcBytes() / (1024.0 * 1024.0),
                        v -> String.format("%.1f", v));
                SeriesTrend fds = trend(out, steady, "open fds", SoakSample::openFds, v -> String.format("%.0f", v));
                SeriesTrend maps = trend(out, steady, "mapped data files", SoakSample::mappedDataFiles, v -> String.format("%.0f", v));
                SeriesTrend fdsBeyond = trend(out, steady, "fds beyond live segments", SoakSample::fdsBeyondSegments,
                        v -> String.format("%.0f", v));
                SeriesTrend mapsBeyond = trend(out, steady, "maps beyond live segments", SoakSample::mapsBeyondSegments,
                        v -> String.format("%.0f", v));
                trend(out, steady, "segments, retained topics", s -> s.bytesSegments() + s.timeSegments(), v -> String.format("%.0f", v));
                trend(out, steady, "segments, compacted topic", SoakSample::compactedSegments, v -> String.format("%.0f", v));
                trend(out, steady, "segments, __consumer_offsets", SoakSample::offsetsSegments, v -> String.format("%.0f", v));
                trend(out, steady, "group lag, retained topics", SoakSample::lagRecords, v -> String.format("%.0f", v));
                if (!produced.stableWithin(THROUGHPUT_TOLERANCE)) {
                    judgeLoad(failures, out, "produce throughput not stable: " + produced);
                }
                if (!consumed.stableWithin(THROUGHPUT_TOLERANCE)) {
                    judgeLoad(failures, out, "consume throughput not stable: " + consumed);
                }
                if (!heap.grewAtMost(HEAP_GROWTH_BYTES / (1024 * 1024), HEAP_GROWTH_FRACTION)) {
                    failures.add("heap after GC grew: " + heap);
                }
                if (!fdsBeyond.grewAtMost(BEYOND_SEGMENTS_GROWTH, BEYOND_SEGMENTS_GROWTH_FRACTION)) {
                    failures.add("file descriptors not held by live segments grew: " + fdsBeyond);
                }
                if (!mapsBeyond.grewAtMost(BEYOND_SEGMENTS_GROWTH, BEYOND_SEGMENTS_GROWTH_FRACTION)) {
                    failures.add("mappings not held by live segments grew: " + mapsBeyond);
                }
                if (settings.warmupMs() >= STEADY_WARMUP_MS && !fds.grewAtMost(FD_GROWTH, FD_GROWTH_FRACTION)) {
                    judgeLoad(failures, out, "open file descriptors grew: " + fds);
                }
                if (settings.warmupMs() >= STEADY_WARMUP_MS && !maps.grewAtMost(FD_GROWTH, FD_GROWTH_FRACTION)) {
                    judgeLoad(failures, out, "mapped data files grew: " + maps);
                }
            }

            out.append("\nretained topics (").append(SoakSettings.BYTES_TOPIC).append(", ").append(SoakSettings.TIME_TOPIC)
                    .append(")\n");
            DeliveryLedger.Verdict r = retained;
            long deletedByRetention = retainedBounds.values().stream().mapToLong(DeliveryLedger.LogBounds::logStartOffset).sum();
            long partitionsTrimmed = retainedBounds.values().stream().filter(b -> b.logStartOffset() > 0).count();
            out.append(String.format("  produced (acknowledged) %d, failed sends %d, consumed %d%n", r.acked(), r.failed(), r.consumed()));
            out.append(String.format("  lost %d, duplicated %d (same offset twice %d, same id at two offsets %d)%n",
                    r.lost(), r.duplicates(), r.deliveryDuplicates(), r.logDuplicates()));
            out.append(String.format("  acknowledged but not consumed %d, of which skipped by retention %d; "
                            + "consumed but never acknowledged %d; left unconsumed in the log %d%n",
                    r.ackedNotConsumed(), r.skippedByRetention(), r.consumedNotAcked(), r.unconsumedInLog()));
            out.append(String.format("  retention deleted the first %d records (log start offsets moved on %d of %d partitions)%n",
                    deletedByRetention, partitionsTrimmed, retainedBounds.size()));
            if (r.failed() != 0 || r.lost() != 0 || r.duplicates() != 0 || r.unconsumedInLog() != 0
                    || r.consumedNotAcked() != 0) {
                failures.add("retained topics: " + r);
            }
            if (r.skippedByRetention() != 0) {
                judgeLoad(failures, out, "the group fell behind retention: " + r.skippedByRetention()
                        + " offsets deleted before it read them");
            }
            if (partitionsTrimmed < retainedBounds.size() / 4) {
                failures.add("retention deleted segments on only " + partitionsTrimmed + " of " + retainedBounds.size()
                        + " partitions: the run did not exercise retention");
            }
            if (outstandingSends != 0) {
                failures.add(outstandingSends + " sends never completed");
            }
            out.append(String.format("  group committed offsets at the log end: %s%n",
                    committedMismatches.isEmpty() ? "all partitions" : committedMismatches));
            if (!committedMismatches.isEmpty()) {
                failures.add("committed offsets not at the log end: " + committedMismatches);
            }

            out.append("\ncompacted topic (").append(SoakSettings.COMPACTED_TOPIC).append(")\n");
            CompactionOracle.Verdict c = compacted;
            if (c == null) {
                failures.add("the compacted topic was never read back");
            } else {
                out.append(String.format("  acknowledged writes %d (tombstones %d) over %d keys; expected live keys %d%n",
                        c.ackedWrites(), c.ackedTombstones(), settings.keySpace(), c.expectedLiveKeys()));
                out.append(String.format("  segments after the final cleaning: %d%n", compactedSegmentsAtEnd));
                out.append(String.format("  read back after cleaning: %d records; missing %d, wrong value %d, "
                                + "tombstoned but present %d, extra copies of a key %d, expired tombstones left %d%n",
                        c.recordsInLog(), c.missing(), c.wrongValue(), c.shouldBeGone(), c.duplicateCopies(), c.tombstonesLeft()));
                if (!c.valuesCorrect() || !c.compacted()) {
                    failures.add("compacted topic: " + c);
                }
                if (c.ackedWrites() <= c.recordsInLog()) {
                    failures.add("compaction removed nothing: " + c);
                }
            }
            out.append(String.format("  offsets the group consumed twice: %d%n", compactedDeliveryDuplicates));
            if (compactedDeliveryDuplicates != 0) {
                failures.add("the group consumed " + compactedDeliveryDuplicates + " compacted-topic records twice");
            }

            if (unlinkedAtEnd != null) {
                out.append(String.format("%nunlinked data files still open or mapped once the deletion delay passed after the run: "
                        + "%d descriptors, %d mappings %s%n", unlinkedAtEnd.fds(), unlinkedAtEnd.maps(),
                        unlinkedAtEnd.examples()));
                if (unlinkedAtEnd.total() != 0) {
                    failures.add("unlinked data files never released: " + unlinkedAtEnd);
                }
            }
            out.append(String.format("%nledger bit sets: %.1f KiB (part of the heap figures)%n", ledgerBytes / 1024.0));
            for (Throwable e : errors) {
                failures.add("error: " + e + (e.getCause() != null ? " caused by " + e.getCause() : ""));
            }
            out.append("\nverdict: ").append(failures.isEmpty() ? "PASS" : "FAIL").append('\n');
            for (String f : failures) {
                out.append("  - ").append(f).append('\n');
            }
            return new SoakSummary(out.toString(), List.copyOf(failures), samples, retained, compacted);
        }

        /** A load criterion missed: a failure when the settings judge load, otherwise a note in the summary. */
        private void judgeLoad(List<String> failures, StringBuilder out, String what) {
            if (settings.judgeLoad()) {
                failures.add(what);
            } else {
                out.append("  (not judged in this run) ").append(what).append('\n');
            }
        }

        private static SeriesTrend trend(StringBuilder out, List<SoakSample> steady, String name,
                                         ToDoubleFunction<SoakSample> value, Function<Double, String> format) {
            SeriesTrend t = SeriesTrend.of(name, steady.stream().map(SoakSample::elapsedMs).toList(),
                    steady.stream().map(value::applyAsDouble).toList());
            out.append(String.format("  %-30s median %8s -> %-8s mean %8s -> %-8s slope %+.1f/min%n", name,
                    format.apply(t.firstThirdMedian()), format.apply(t.lastThirdMedian()),
                    format.apply(t.firstThirdMean()), format.apply(t.lastThirdMean()), t.slopePerMinute()));
            return t;
        }
    }
}
