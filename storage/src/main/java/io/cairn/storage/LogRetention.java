package io.cairn.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which whole segments of a log retention removes, oldest first, and removes them:
 * <ul>
 *   <li>segments wholly below the log start offset (always);</li>
 *   <li>with {@code cleanup.policy} including delete: segments whose newest timestamp (largest batch
 *       maxTimestamp; the file's mtime if no batch carries one) is older than {@code retention.ms},
 *       and then the oldest segments while the log would still be at least {@code retention.bytes}
 *       without them.</li>
 * </ul>
 * Only a prefix of the segments is ever removed, never data at or above the high watermark; an
 * expired active segment is rolled first. Runs on the manager's retention thread.
 */
final class LogRetention {
    private LogRetention() {
    }

    /** Applies retention to {@code log}; returns the number of segments deleted. */
    static int apply(Log log, long nowMs) throws IOException {
        if (log.isOffline() || log.isClosed()) {
            return 0;
        }
        LogConfig config = log.config();
        List<LogSegment> segments = log.segmentsSnapshot();
        int deleted = log.deleteOldestSegments(belowLogStart(segments, log.logStartOffset()), "log start offset");
        if (config.cleanupPolicy().deletes()) {
            segments = log.segmentsSnapshot();
            deleted += log.deleteOldestSegments(expiredByTime(segments, config.retentionMs(), nowMs), "retention.ms="
                + config.retentionMs());
            segments = log.segmentsSnapshot();
            deleted += log.deleteOldestSegments(overSize(segments, config.retentionBytes()), "retention.bytes="
                + config.retentionBytes());
        }
        return deleted;
    }

    static List<LogSegment> belowLogStart(List<LogSegment> segments, long logStartOffset) {
        List<LogSegment> result = new ArrayList<>();
        for (int i = 0; i + 1 < segments.size(); i++) {
            if (segments.get(i + 1).baseOffset() <= logStartOffset) {
                result.add(segments.get(i));
            } else {
                break;
            }
        }
        return result;
    }

    static List<LogSegment> expiredByTime(List<LogSegment> segments, long retentionMs, long nowMs) throws IOException {
        List<LogSegment> result = new ArrayList<>();
        if (retentionMs < 0) {
            return result;
        }
        for (LogSegment s : segments) {
            if (s.size() > 0 && nowMs - s.largestTimestampForRetention() > retentionMs) {
                result.add(s);
            } else {
                break;
            }
        }
        return result;
    }

    static List<LogSegment> overSize(List<LogSegment> segments, long retentionBytes) {
        List<LogSegment> result = new ArrayList<>();
        if (retentionBytes < 0) {
            return result;
        }
        long total = 0;
        for (LogSegment s : segments) {
            total += s.size();
        }
        long excess = total - retentionBytes;
        for (LogSegment s : segments) {
            if (excess - s.size() >= 0) {
                result.add(s);
                excess -= s.size();
            } else {
                break;
            }
        }
        return result;
    }
}
