package io.cairn.client.errors;

/**
 * An offset commit was rejected for good: the consumer is no longer a member of the group in the
 * epoch it committed with (fenced, removed after missing heartbeats or {@code max.poll.interval.ms}).
 * Its partitions may already be read by another member; records processed since the last successful
 * commit may be processed again.
 */
public class CommitFailedException extends CairnException {
    /** Creates the exception naming the group and the broker's reason. */
    public CommitFailedException(String message) {
        super(message);
    }
}
