package io.cairn.client.consumer;

import io.cairn.client.TopicPartition;
import java.util.Map;

/** Told the outcome of {@code commitAsync}; runs on the consumer's thread during a later poll or commit. */
@FunctionalInterface
public interface OffsetCommitCallback {
    /**
     * @param offsets the offsets the commit carried
     * @param error null on success, else why the commit failed
     */
    void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Exception error);
}
