package io.cairn.reliability.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
            Report report = new Report(settings.judgeLoad());
            report.line("Cairn soak (reliability scenario 17)");
            report.line("settings: %s", settings);
            report.line("load average at start: %s, at end: %s (%d cores)", loadStart, loadEnd,
                    Runtime.getRuntime().availableProcessors());
            report.line("wall time %.1f s: group formed in %.1f s; producers stopped after %.1f s of load; "
                            + "group drained in %.1f s; compaction verified in %.1f s; members started %d (%d replaced "
                            + "during the load)", wallMs / 1000.0, groupFormedMs / 1000.0, producersStoppedAfterMs / 1000.0,
                    drainMs / 1000.0, compactionCheckMs / 1000.0, membersStarted, churns);

            report.heading("samples (heap = used after a full GC, whole JVM; fds = /proc/self/fd; maps = mappings of data files)");
            report.line("%s", SoakSample.HEADER);
            for (SoakSample s : samples) {
                report.line("%s", s.line());
            }

            List<SoakSample> steady = samples.stream().filter(s -> s.elapsedMs() >= settings.warmupMs()
                    && s.elapsedMs() <= producersStoppedAfterMs).toList();
            report.heading("trends over %d samples after the %d s warm-up (first third -> last third: median, "
                    + "and for rates the mean; least-squares slope per minute)", steady.size(), settings.warmupMs() / 1000);
            if (steady.size() < 3) {
                report.fail(true, "only " + steady.size() + " samples after warm-up; a trend needs 3");
            } else {
                SeriesTrend produced = report.trend(steady, "produced records/s", 0, SoakSample::producedPerSec);
                SeriesTrend consumed = report.trend(steady, "consumed records/s", 0, SoakSample::consumedPerSec);
                SeriesTrend heap = report.trend(steady, "heap after GC MiB", 1, s -> s.heapAfterGcBytes() / (1024.0 * 1024.0));
                SeriesTrend fds = report.trend(steady, "open fds", 0, SoakSample::openFds);
                SeriesTrend maps = report.trend(steady, "mapped data files", 0, SoakSample::mappedDataFiles);
                SeriesTrend fdsBeyond = report.trend(steady, "fds beyond live segments", 0, SoakSample::fdsBeyondSegments);
                SeriesTrend mapsBeyond = report.trend(steady, "maps beyond live segments", 0, SoakSample::mapsBeyondSegments);
                report.trend(steady, "segments, retained topics", 0, s -> s.bytesSegments() + s.timeSegments());
                report.trend(steady, "segments, compacted topic", 0, SoakSample::compactedSegments);
                report.trend(steady, "segments, __consumer_offsets", 0, SoakSample::offsetsSegments);
                report.trend(steady, "group lag, retained topics", 0, SoakSample::lagRecords);
                report.failUnderLoad(!produced.stableWithin(THROUGHPUT_TOLERANCE), "produce throughput not stable: " + produced);
                report.failUnderLoad(!consumed.stableWithin(THROUGHPUT_TOLERANCE), "consume throughput not stable: " + consumed);
                report.fail(!heap.grewAtMost(HEAP_GROWTH_BYTES / (1024 * 1024), HEAP_GROWTH_FRACTION),
                        "heap after GC grew: " + heap);
                report.fail(!fdsBeyond.grewAtMost(BEYOND_SEGMENTS_GROWTH, BEYOND_SEGMENTS_GROWTH_FRACTION),
                        "file descriptors not held by live segments grew: " + fdsBeyond);
                report.fail(!mapsBeyond.grewAtMost(BEYOND_SEGMENTS_GROWTH, BEYOND_SEGMENTS_GROWTH_FRACTION),
                        "mappings not held by live segments grew: " + mapsBeyond);
                boolean steadyTotals = settings.warmupMs() >= STEADY_WARMUP_MS;
                report.failUnderLoad(steadyTotals && !fds.grewAtMost(FD_GROWTH, FD_GROWTH_FRACTION),
                        "open file descriptors grew: " + fds);
                report.failUnderLoad(steadyTotals && !maps.grewAtMost(FD_GROWTH, FD_GROWTH_FRACTION),
                        "mapped data files grew: " + maps);
            }

            report.heading("retained topics (%s, %s)", SoakSettings.BYTES_TOPIC, SoakSettings.TIME_TOPIC);
            DeliveryLedger.Verdict r = retained;
            long deletedByRetention = retainedBounds.values().stream().mapToLong(DeliveryLedger.LogBounds::logStartOffset).sum();
            long partitionsTrimmed = retainedBounds.values().stream().filter(b -> b.logStartOffset() > 0).count();
            report.line("  produced (acknowledged) %d, failed sends %d, consumed %d", r.acked(), r.failed(), r.consumed());
            report.line("  lost %d, duplicated %d (same offset twice %d, same id at two offsets %d)",
                    r.lost(), r.duplicates(), r.deliveryDuplicates(), r.logDuplicates());
            report.line("  acknowledged but not consumed %d, of which skipped by retention %d; "
                            + "consumed but never acknowledged %d; left unconsumed in the log %d",
                    r.ackedNotConsumed(), r.skippedByRetention(), r.consumedNotAcked(), r.unconsumedInLog());
            report.line("  retention deleted the first %d records (log start offsets moved on %d of %d partitions)",
                    deletedByRetention, partitionsTrimmed, retainedBounds.size());
            report.fail(r.failed() != 0 || r.lost() != 0 || r.duplicates() != 0 || r.unconsumedInLog() != 0
                    || r.consumedNotAcked() != 0, "retained topics: " + r);
            report.failUnderLoad(r.skippedByRetention() != 0, "the group fell behind retention: " + r.skippedByRetention()
                    + " offsets deleted before it read them");
            report.fail(partitionsTrimmed < retainedBounds.size() / 4, "retention deleted segments on only "
                    + partitionsTrimmed + " of " + retainedBounds.size() + " partitions: the run did not exercise retention");
            report.fail(outstandingSends != 0, outstandingSends + " sends never completed");
            report.line("  group committed offsets at the log end: %s",
                    committedMismatches.isEmpty() ? "all partitions" : committedMismatches);
            report.fail(!committedMismatches.isEmpty(), "committed offsets not at the log end: " + committedMismatches);

            report.heading("compacted topic (%s)", SoakSettings.COMPACTED_TOPIC);
            CompactionOracle.Verdict c = compacted;
            if (c == null) {
                report.fail(true, "the compacted topic was never read back");
            } else {
                report.line("  acknowledged writes %d (tombstones %d) over %d keys; expected live keys %d",
                        c.ackedWrites(), c.ackedTombstones(), settings.keySpace(), c.expectedLiveKeys());
                report.line("  segments after the final cleaning: %d", compactedSegmentsAtEnd);
                report.line("  read back after cleaning: %d records; missing %d, wrong value %d, "
                                + "tombstoned but present %d, extra copies of a key %d, expired tombstones left %d",
                        c.recordsInLog(), c.missing(), c.wrongValue(), c.shouldBeGone(), c.duplicateCopies(), c.tombstonesLeft());
                report.fail(!c.valuesCorrect() || !c.compacted(), "compacted topic: " + c);
                report.fail(c.ackedWrites() <= c.recordsInLog(), "compaction removed nothing: " + c);
            }
            report.line("  offsets the group consumed twice: %d", compactedDeliveryDuplicates);
            report.fail(compactedDeliveryDuplicates != 0,
                    "the group consumed " + compactedDeliveryDuplicates + " compacted-topic records twice");

            if (unlinkedAtEnd != null) {
                report.heading("unlinked data files still open or mapped once the deletion delay passed after the run: "
                        + "%d descriptors, %d mappings %s", unlinkedAtEnd.fds(), unlinkedAtEnd.maps(), unlinkedAtEnd.examples());
                report.fail(unlinkedAtEnd.total() != 0, "unlinked data files never released: " + unlinkedAtEnd);
            }
            report.heading("ledger bit sets: %.1f KiB (part of the heap figures)", ledgerBytes / 1024.0);
            for (Throwable e : errors) {
                report.fail(true, "error: " + e + (e.getCause() != null ? " caused by " + e.getCause() : ""));
            }
            List<String> failures = report.failures();
            report.heading("verdict: %s", failures.isEmpty() ? "PASS" : "FAIL");
            for (String f : failures) {
                report.line("  - %s", f);
            }
            return new SoakSummary(report.text(), failures, samples, retained, compacted);
        }
    }

    /**
     * The summary's text as it is written, and the checks that failed. A load criterion missed
     * ({@link #failUnderLoad}) is a failure when the settings judge load, otherwise a note in the
     * text. Used by one thread.
     */
    private static final class Report {
        private final boolean judgeLoad;
        private final StringBuilder text = new StringBuilder();
        private final List<String> failures = new ArrayList<>();

        Report(boolean judgeLoad) {
            this.judgeLoad = judgeLoad;
        }

        /** One line: {@code format} filled in with {@code args}, as {@link String#format}. */
        void line(String format, Object... args) {
            text.append(String.format(format, args)).append('\n');
        }

        /** A blank line, then the heading line of a new section. */
        void heading(String format, Object... args) {
            text.append('\n');
            line(format, args);
        }

        void fail(boolean failed, String what) {
            if (failed) {
                failures.add(what);
            }
        }

        void failUnderLoad(boolean failed, String what) {
            if (!failed) {
                return;
            }
            if (judgeLoad) {
                failures.add(what);
            } else {
                line("  (not judged in this run) %s", what);
            }
        }

        /** The trend of {@code value} over {@code steady}, written as one line with {@code decimals} digits. */
        SeriesTrend trend(List<SoakSample> steady, String name, int decimals, ToDoubleFunction<SoakSample> value) {
            SeriesTrend t = SeriesTrend.of(name, steady.stream().map(SoakSample::elapsedMs).toList(),
                    steady.stream().map(value::applyAsDouble).toList());
            String n = "." + decimals + "f";
            line("  %-30s median %8" + n + " -> %-8" + n + " mean %8" + n + " -> %-8" + n + " slope %+.1f/min", name,
                    t.firstThirdMedian(), t.lastThirdMedian(), t.firstThirdMean(), t.lastThirdMean(), t.slopePerMinute());
            return t;
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        String text() {
            return text.toString();
        }
    }
}
