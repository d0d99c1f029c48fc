package io.cairn.broker.config;

/** The typed form of {@code message.timestamp.type}. */
public enum TimestampType {
    /** Keep the producer's timestamps. */
    CREATE_TIME,
    /** Stamp batches with the broker's clock on append. */
    LOG_APPEND_TIME;

    static TimestampType of(String value) {
        if (value.equals(TopicConfigKeys.CREATE_TIME)) {
            return CREATE_TIME;
        }
        if (value.equals(TopicConfigKeys.LOG_APPEND_TIME)) {
            return LOG_APPEND_TIME;
        }
        throw new IllegalArgumentException("message.timestamp.type " + value + " is neither CreateTime nor LogAppendTime");
    }
}
