package io.cairn.client.admin;

/**
 * One partition of a described topic, as its log stands on the broker.
 *
 * @param partition the partition number
 * @param leaderId the leader's broker id, -1 when there is none
 * @param startOffset the log start offset (first retained offset)
 * @param endOffset the log end offset (offset the next record will get)
 * @param sizeBytes bytes of the partition's segment files on disk (indexes not counted)
 * @param segmentCount segments of the partition's log, the active one included
 */
public record PartitionDescription(int partition, int leaderId, long startOffset, long endOffset, long sizeBytes,
                                   int segmentCount) {
    /** Records retained in the partition: {@code endOffset - startOffset}. */
    public long recordCount() {
        return Math.max(0, endOffset - startOffset);
    }
}
