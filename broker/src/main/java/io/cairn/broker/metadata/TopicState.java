package io.cairn.broker.metadata;

/**
 * Where a topic is in its life. Only {@link #LIVE} topics exist for clients; the other states are
 * the durable half of the create and delete protocols (docs/metadata.md), finished by
 * {@link TopicRegistry#reconcile} after a crash.
 */
public enum TopicState {
    /** Registered, partition directories being created. Rolled forward after a crash. */
    CREATING((byte) 0),
    /** Fully created; served. */
    LIVE((byte) 1),
    /** Being deleted: gone for clients, directories being removed. Finished after a crash. */
    DELETING((byte) 2);

    private final byte code;

    TopicState(byte code) {
        this.code = code;
    }

    /** Stored form. */
    public byte code() {
        return code;
    }

    static TopicState ofCode(byte code) {
        for (TopicState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown topic state code " + code);
    }
}
