package io.cairn.storage;

/**
 * What {@link Log#append} did: the offsets it assigned and where the bytes went.
 *
 * @param firstOffset          base offset assigned to the first batch
 * @param lastOffset           last offset of the last batch
 * @param maxTimestamp         largest batch maxTimestamp appended, or -1 if none carried one
 * @param offsetOfMaxTimestamp last offset of the batch that carried {@code maxTimestamp}
 * @param segmentBaseOffset    base offset of the segment written to
 * @param position             byte position of the first batch in that segment's {@code .log}
 * @param sizeInBytes          bytes appended
 * @param batchCount           batches appended
 * @param logStartOffset       the log start offset at the time of the append
 */
public record LogAppendResult(
    long firstOffset,
    long lastOffset,
    long maxTimestamp,
    long offsetOfMaxTimestamp,
    long segmentBaseOffset,
    int position,
    int sizeInBytes,
    int batchCount,
    long logStartOffset) {
}
