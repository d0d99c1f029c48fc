package io.cairn.broker.group;

/**
 * Outcomes of group coordinator operations, named and numbered as Kafka's error codes so that a
 * wire front end can map them one to one. Expected outcomes travel as these values, never as
 * exceptions.
 */
public enum GroupError {
    NONE((short) 0, "Success."),
    UNKNOWN_SERVER_ERROR((short) -1, "An unexpected error occurred on the coordinator."),
    UNKNOWN_TOPIC_OR_PARTITION((short) 3, "The topic or partition does not exist."),
    OFFSET_METADATA_TOO_LARGE((short) 12, "The committed offset metadata is larger than offset.metadata.max.bytes."),
    COORDINATOR_LOAD_IN_PROGRESS((short) 14, "The coordinator is loading the group state; retry."),
    COORDINATOR_NOT_AVAILABLE((short) 15, "The coordinator is not available; retry."),
    NOT_COORDINATOR((short) 16, "This broker is not the coordinator of the group."),
    ILLEGAL_GENERATION((short) 22, "The generation (member epoch) is not valid."),
    INVALID_GROUP_ID((short) 24, "The group id is empty or otherwise invalid."),
    UNKNOWN_MEMBER_ID((short) 25, "The member id is not known to the group."),
    INVALID_REQUEST((short) 42, "The request is malformed or inconsistent."),
    NON_EMPTY_GROUP((short) 68, "The group still has members."),
    GROUP_ID_NOT_FOUND((short) 69, "The group does not exist."),
    GROUP_MAX_SIZE_REACHED((short) 81, "The group has reached group.consumer.max.size members."),
    FENCED_INSTANCE_ID((short) 82, "Another member has taken over this group.instance.id."),
    FENCED_MEMBER_EPOCH((short) 110, "The member epoch is fenced; the member must abandon its partitions and rejoin with epoch 0."),
    UNRELEASED_INSTANCE_ID((short) 111, "The group.instance.id is still used by a live member; that member must leave first."),
    UNSUPPORTED_ASSIGNOR((short) 112, "The requested server assignor is not supported."),
    STALE_MEMBER_EPOCH((short) 113, "The member epoch is stale; retry after the next heartbeat returns the current epoch."),
    INVALID_REGULAR_EXPRESSION((short) 132, "The subscription regular expression does not compile.");

    private final short code;
    private final String description;

    GroupError(short code, String description) {
        this.code = code;
        this.description = description;
    }

    /** Kafka's numeric error code for this outcome. */
    public short code() {
        return code;
    }

    public String description() {
        return description;
    }
}
