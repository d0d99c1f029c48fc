package io.cairn.reliability.soak;

/**
 * One sample of a running soak: rates over the interval since the previous sample, resources now.
 * Segment counts are summed over a topic's partitions; {@code lagRecords} is the retained topics'
 * log end minus what the group consumed; {@code retainedLogStart} is the sum of their log start
 * offsets (records retention has deleted so far).
 *
 * <p>Immutable.
 */
record SoakSample(long elapsedMs, double producedPerSec, double consumedPerSec, long heapAfterGcBytes, int openFds,
                  int mappedDataFiles, int unlinkedFds, int unlinkedMaps, int bytesSegments, int timeSegments, int compactedSegments, int offsetsSegments,
                  long lagRecords, long retainedLogStart) {

    static final String HEADER = String.format("%8s %10s %10s %9s %6s %6s %6s %6s %8s %8s %8s %8s %8s %10s",
            "t(s)", "prod/s", "cons/s", "heapMiB", "fds", "maps", "fd.del", "map.del", "seg.byt", "seg.time", "seg.cmp", "seg.off",
            "lag", "logStart");

    int segments() {
        return bytesSegments + timeSegments + compactedSegments + offsetsSegments;
    }

    /** Descriptors beyond one per live segment (its {@code .log}): sockets, jars, and segments awaiting deletion. */
    int fdsBeyondSegments() {
        return openFds - segments();
    }

    /**
     * Mappings beyond three per live segment (its two indexes and the read-only header mapping of
     * its log): those of segments awaiting deletion.
     */
    int mapsBeyondSegments() {
        return mappedDataFiles - 3 * segments();
    }

    String line() {
        return String.format("%8.1f %10.0f %10.0f %9.1f %6d %6d %6d %6d %8d %8d %8d %8d %8d %10d", elapsedMs / 1000.0,
                producedPerSec, consumedPerSec, heapAfterGcBytes / (1024.0 * 1024.0), openFds, mappedDataFiles,
                unlinkedFds, unlinkedMaps,
                bytesSegments, timeSegments, compactedSegments, offsetsSegments, lagRecords, retainedLogStart);
    }
}
