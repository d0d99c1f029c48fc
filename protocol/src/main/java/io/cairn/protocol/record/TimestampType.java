package io.cairn.protocol.record;

/**
 * What a batch's timestamps mean: bit 3 of the batch attributes.
 * {@link #CREATE_TIME} timestamps were set by the producer; {@link #LOG_APPEND_TIME} means the
 * broker stamped the batch's {@code maxTimestamp} with its own clock when it appended it.
 */
public enum TimestampType {
    /** Timestamps set by the producer (attribute bit 3 clear). */
    CREATE_TIME(0, "CreateTime"),
    /** Timestamp set by the broker on append (attribute bit 3 set). */
    LOG_APPEND_TIME(1, "LogAppendTime");

    private final int id;
    private final String configName;

    TimestampType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The attribute bit value: 0 or 1. */
    public int id() {
        return id;
    }

    /** The name used in topic configuration ({@code message.timestamp.type}): CreateTime or LogAppendTime. */
    public String configName() {
        return configName;
    }

    /** The type for batch attributes {@code attributes}. */
    public static TimestampType fromAttributes(int attributes) {
        return (attributes & RecordBatchDescriptor.TIMESTAMP_TYPE_MASK) == 0 ? CREATE_TIME : LOG_APPEND_TIME;
    }

    /**
     * The type named {@code name}, case-insensitive, accepting the config names (CreateTime,
     * LogAppendTime) and the enum names (CREATE_TIME, LOG_APPEND_TIME).
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static TimestampType forName(String name) {
        for (TimestampType type : values()) {
            if (type.configName.equalsIgnoreCase(name) || type.name().equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown timestamp type '" + name + "' (expected: CreateTime or LogAppendTime)");
    }

    @Override
    public String toString() {
        return configName;
    }
}
