package io.cairn.broker.metadata;

import java.util.Objects;

/**
 * The outcome of a topic administration call: the topic's metadata on success, else an error code
 * and a message meant for the client (naming the topic, the value and the limit).
 *
 * @param error   {@link TopicError#NONE} on success
 * @param message {@code null} on success
 * @param topic   the topic after the operation (for a delete, as it was); {@code null} on error
 */
public record TopicResult(TopicError error, String message, TopicMetadata topic) {

    public TopicResult {
        Objects.requireNonNull(error, "error");
    }

    public static TopicResult ok(TopicMetadata topic) {
        return new TopicResult(TopicError.NONE, null, Objects.requireNonNull(topic, "topic"));
    }

    public static TopicResult failed(TopicError error, String message) {
        if (error == TopicError.NONE) {
            throw new IllegalArgumentException("a failure needs an error code");
        }
        return new TopicResult(error, Objects.requireNonNull(message, "message"), null);
    }

    public boolean isOk() {
        return error == TopicError.NONE;
    }
}
