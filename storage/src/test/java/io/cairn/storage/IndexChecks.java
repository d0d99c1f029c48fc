package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Checks a segment's indexes against a full scan of its batches. */
final class IndexChecks {
    private IndexChecks() {
    }

    static void assertIndexesAgreeWithScan(Log log) throws IOException {
        for (LogSegment s : log.segmentsSnapshot()) {
            assertIndexesAgreeWithScan(s);
        }
    }

    static void assertIndexesAgreeWithScan(LogSegment segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(segment.size());
        segment.readFully(bytes, 0);
        bytes.flip();
        List<TestBatches.Batch> batches = TestBatches.batches(bytes);
        List<Integer> positions = new ArrayList<>();
        int p = 0;
        for (TestBatches.Batch b : batches) {
            positions.add(p);
            p += b.size();
        }
        OffsetIndex index = segment.offsetIndex();
        for (int i = 0; i < index.entries(); i++) {
            int at = positions.indexOf(index.positionAt(i));
            assertThat(at).as("%s entry %d position %d is a batch boundary", segment, i, index.positionAt(i)).isNotNegative();
            assertThat(batches.get(at).baseOffset()).as("%s entry %d offset", segment, i).isEqualTo(index.offsetAt(i));
        }
        TimeIndex timeIndex = segment.timeIndex();
        for (int i = 0; i < timeIndex.entries(); i++) {
            long offset = timeIndex.offsetAt(i);
            long maxSoFar = -1;
            boolean found = false;
            for (TestBatches.Batch b : batches) {
                maxSoFar = Math.max(maxSoFar, b.maxTimestamp());
                if (b.lastOffset() == offset) {
                    found = true;
                    break;
                }
            }
            assertThat(found).as("%s time entry %d offset %d ends a batch", segment, i, offset).isTrue();
            assertThat(timeIndex.timestampAt(i)).as("%s time entry %d", segment, i).isEqualTo(maxSoFar);
        }
        long max = batches.stream().mapToLong(TestBatches.Batch::maxTimestamp).max().orElse(-1);
        assertThat(segment.maxTimestamp()).as("%s max timestamp", segment).isEqualTo(max);
    }

    /** Simulates a crash: closes the files without trimming indexes or writing anything. */
    static void crash(Log log) throws IOException {
        for (LogSegment s : log.segmentsSnapshot()) {
            s.closeChannel();
        }
    }
}
