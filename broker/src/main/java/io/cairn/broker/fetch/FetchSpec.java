package io.cairn.broker.fetch;

import java.util.List;

/**
 * A fetch, without wire format: the partitions with their fetch offsets and byte limits, and the
 * long-poll terms.
 *
 * @param partitions partitions in the order the answer lists them
 * @param maxWaitMs  how long to wait for {@code minBytes} when fewer are available (0 = answer at once)
 * @param minBytes   answer as soon as this many bytes are available
 * @param maxBytes   limit over all partitions; the first batch found is returned even if larger,
 *                   so a consumer always makes progress
 */
public record FetchSpec(List<Partition> partitions, long maxWaitMs, int minBytes, int maxBytes) {
    public FetchSpec {
        partitions = List.copyOf(partitions);
    }

    /**
     * One partition to read.
     *
     * @param fetchOffset first offset wanted
     * @param maxBytes    limit for this partition
     */
    public record Partition(io.cairn.storage.TopicPartition topicPartition, long fetchOffset, int maxBytes) {
    }
}
