package io.cairn.client.admin;

/**
 * One partition of a described topic.
 *
 * @param partition the partition number
 * @param leaderId the leader's broker id, -1 when there is none
 * @param startOffset the log start offset (first retained offset)
 * @param endOffset the log end offset (offset the next record will get)
 */
public record PartitionDescription(int partition, int leaderId, long startOffset, long endOffset) {
    /** Records retained in the partition: {@code endOffset - startOffset}. */
    public long recordCount() {
        return Math.max(0, endOffset - startOffset);
    }
}
